import { createRequire } from 'node:module'
import type pdfmake from 'pdfmake'
import type { TFontDictionary } from 'pdfmake/interfaces.js'

const require = createRequire(import.meta.url)

// Roboto, as pdfmake ships it: covers Latin Extended-A, so Welsh ŵ, ŷ and â print as themselves
// (pdfmake's standard PDF fonts are WinAnsi only and have neither ŵ nor ŷ). SVG text (charts) is
// drawn in it too: pdfmake maps a font it does not know to the default.
const roboto = (file: string) => require.resolve(`pdfmake/fonts/Roboto/${file}`)
const FONTS: TFontDictionary = {
  Roboto: { normal: roboto('Roboto-Regular.ttf'), bold: roboto('Roboto-Medium.ttf'), italics: roboto('Roboto-Italic.ttf'), bolditalics: roboto('Roboto-MediumItalic.ttf') },
}
const FONT_FILES = new Set(Object.values(FONTS.Roboto!).map(String))
let engine: Promise<{ default: typeof pdfmake }> | undefined

/**
 * pdfmake is one object shared by the whole process (letters, Early Insights): set its fonts, and
 * let it read those files and nothing else (no URLs at all), on every use, so nothing set elsewhere
 * applies. It takes them synchronously in createPdf, so two documents rendered at once cannot mix.
 */
export async function pdfEngine(): Promise<typeof pdfmake> {
  // Loaded with the first PDF (some 25 MB in memory): most requests never make one.
  const { default: pdfmake } = await (engine ??= import('pdfmake'))
  pdfmake.setFonts(FONTS)
  pdfmake.setUrlAccessPolicy(() => false)
  pdfmake.setLocalAccessPolicy((path) => FONT_FILES.has(path))
  return pdfmake
}

/** A4 (595 x 842 pt) with 20 mm margins, and the width of text between them. */
export const A4_MARGIN = 57
export const A4_TEXT_WIDTH = 595.28 - 2 * A4_MARGIN
