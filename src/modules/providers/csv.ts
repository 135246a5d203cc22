/**
 * A small RFC 4180 reader: comma-separated, fields optionally in double quotes, a quote inside a
 * quoted field written twice, line breaks (CRLF, LF or CR) inside quoted fields kept. A UTF-8 byte
 * order mark at the start is dropped, since spreadsheet programs add one when saving "CSV UTF-8".
 */

/** One record, numbered as a spreadsheet shows it: the first record (the header) is row 1. */
export interface CsvRecord {
  row: number
  fields: string[]
}

export type CsvSyntaxProblem =
  /** A quoted field runs to the end of the file. */
  | { row: number; kind: 'unclosedQuote' }
  /** Text between a closing quote and the next comma or line end, e.g. `"a"b`. */
  | { row: number; kind: 'textAfterQuote' }

export interface CsvResult {
  /** Every record, blank lines left out (their row numbers are still counted). */
  records: CsvRecord[]
  /** The first syntax problem, if any: after one, the rest of the file cannot be read reliably. */
  problem?: CsvSyntaxProblem
}

export function parseCsv(input: string): CsvResult {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input
  const n = text.length
  const records: CsvRecord[] = []
  // Whole runs of text are sliced out rather than read a character at a time: a 5 MB file stays quick.
  const unquoted = /[^,\r\n]*/y
  let row = 1
  let fields: string[] = []
  let i = 0

  const endRecord = () => {
    // A line with nothing on it is a blank line, not a record with one empty field.
    if (!(fields.length === 1 && fields[0] === '')) records.push({ row, fields })
    fields = []
    row++
  }

  while (i < n) {
    let field: string
    if (text.charCodeAt(i) === 34 /* " */) {
      // A quoted field: up to the closing quote, keeping commas, doubled quotes and line breaks.
      const startRow = row
      const parts: string[] = []
      let from = i + 1
      for (;;) {
        const quote = text.indexOf('"', from)
        if (quote < 0) return { records, problem: { row: startRow, kind: 'unclosedQuote' } }
        parts.push(text.slice(from, quote))
        if (text.charCodeAt(quote + 1) === 34) {
          parts.push('"')
          from = quote + 2
          continue
        }
        i = quote + 1
        break
      }
      field = parts.join('')
      const next = text[i]
      if (i < n && next !== ',' && next !== '\r' && next !== '\n') return { records, problem: { row, kind: 'textAfterQuote' } }
    } else {
      unquoted.lastIndex = i
      unquoted.exec(text)
      field = text.slice(i, unquoted.lastIndex)
      i = unquoted.lastIndex
    }
    fields.push(field)
    const c = text[i]
    if (c === ',') {
      i++
      // A comma at the very end of the file still ends a field: the empty one after it.
      if (i >= n) fields.push('')
      continue
    }
    if (c === '\r') i += text[i + 1] === '\n' ? 2 : 1
    else if (c === '\n') i++
    endRecord()
  }
  // The last record, when the file ends in a comma rather than a line break.
  if (fields.length) endRecord()
  return { records }
}
