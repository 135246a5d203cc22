import { describe, expect, it } from 'vitest'
import { parseCsv } from './csv.ts'
import { MAX_FILE_BYTES, MAX_ROWS, PROVIDER_COLUMNS, readProvidersCsv } from './providers.csv.ts'
import { I18n } from '../../i18n/catalogue.ts'
import { translateDetail } from '../../http/form-errors.ts'

const fields = (text: string) => parseCsv(text).records.map((r) => r.fields)

describe('the CSV reader', () => {
  it('splits plain rows on commas and line ends, with or without a final line break', () => {
    expect(fields('a,b,c\n1,2,3\n')).toEqual([['a', 'b', 'c'], ['1', '2', '3']])
    expect(fields('a,b,c\n1,2,3')).toEqual([['a', 'b', 'c'], ['1', '2', '3']])
  })

  it('treats CRLF, LF and a lone CR each as one line end', () => {
    expect(fields('a,b\r\n1,2\r\n3,4\r5,6\n7,8')).toEqual([['a', 'b'], ['1', '2'], ['3', '4'], ['5', '6'], ['7', '8']])
  })

  it('drops a UTF-8 byte order mark at the start only', () => {
    expect(fields('\uFEFFauthority_gss,b\n1,2')).toEqual([['authority_gss', 'b'], ['1', '2']])
    expect(fields('a,\uFEFFb')).toEqual([['a', '\uFEFFb']])
  })

  it('keeps commas, doubled quotes and line breaks inside quoted fields', () => {
    const text = 'name,summary\r\n"Ysgol, Aberaeron","He said ""da iawn"", twice"\r\n"x","line one\r\nline two\nline three"\r\n'
    expect(fields(text)).toEqual([
      ['name', 'summary'],
      ['Ysgol, Aberaeron', 'He said "da iawn", twice'],
      ['x', 'line one\r\nline two\nline three'],
    ])
  })

  it('keeps empty fields, quoted or not, at the start, middle and end of a row', () => {
    expect(fields(',a,,"",b,\n""')).toEqual([['', 'a', '', '', 'b', '']])
    expect(fields('a,""\n')).toEqual([['a', '']])
    expect(fields('a,"x",')).toEqual([['a', 'x', '']])
  })

  it('numbers rows as records (the header is 1), counting blank lines but not line breaks inside quotes', () => {
    const { records } = parseCsv('h1,h2\n"a\nb",c\n\nd,e\n')
    expect(records).toEqual([
      { row: 1, fields: ['h1', 'h2'] },
      { row: 2, fields: ['a\nb', 'c'] },
      { row: 4, fields: ['d', 'e'] },
    ])
  })

  it('reports a quoted field that is never closed, at the row it starts', () => {
    const result = parseCsv('h\nok\n"never closed\nstill going')
    expect(result.problem).toEqual({ row: 3, kind: 'unclosedQuote' })
    expect(result.records.map((r) => r.fields)).toEqual([['h'], ['ok']])
  })

  it('reports text after a closing quote', () => {
    expect(parseCsv('h\n"a"b,c').problem).toEqual({ row: 2, kind: 'textAfterQuote' })
  })

  it('keeps a quote inside an unquoted field as it is', () => {
    expect(fields('5" floppy,b')).toEqual([['5" floppy', 'b']])
  })

  it('reads nothing from an empty text or a lone byte order mark', () => {
    expect(parseCsv('')).toEqual({ records: [] })
    expect(parseCsv('\uFEFF')).toEqual({ records: [] })
    expect(parseCsv('\r\n\n')).toEqual({ records: [] })
  })
})

const HEADER = PROVIDER_COLUMNS.join(',')
const AUTHORITIES = new Set(['W06000008', 'W06000015'])
const t = new I18n().translator('en')
const messages = (text: string) => readProvidersCsv(text, AUTHORITIES).problems.map((d) => ({ path: d.path, text: translateDetail(d, t) }))

describe('reading a providers file', () => {
  it('reads good rows, trimming values and leaving empty optional columns null', () => {
    const text = `\uFEFF${HEADER}\r\nW06000008,100, Ysgol Un ,primary,2025-03-12,"Good, overall",https://example.org/r/100\r\nw06000015,101,Ysgol Dau,special,,,\r\n`
    const { rows, problems } = readProvidersCsv(text, AUTHORITIES)
    expect(problems).toEqual([])
    expect(rows).toEqual([
      { authorityCode: 'W06000008', reference: '100', name: 'Ysgol Un', kind: 'primary', lastInspectedOn: '2025-03-12', summary: 'Good, overall', reportUrl: 'https://example.org/r/100' },
      { authorityCode: 'W06000015', reference: '101', name: 'Ysgol Dau', kind: 'special', lastInspectedOn: null, summary: null, reportUrl: null },
    ])
  })

  it('lists every problem of every row with its row and column, and returns no rows', () => {
    const text = [
      HEADER,
      'W06000008,200,Good School,primary,2025-01-01,,',
      'W06999999,201,,junior,2025-02-30,,http://example.org/x',
      'W06000008,200,Again,nursery,,,',
      'W06000008,202,"Quoted, name",post_16,not a date,,https://',
      'W06000008,203,Too few columns',
    ].join('\n')
    const result = readProvidersCsv(text, AUTHORITIES)
    expect(result.rows).toEqual([])
    expect(messages(text)).toEqual([
      { path: 'row 3, name', text: 'Row 3, name: enter a value' },
      { path: 'row 3, authority_gss', text: 'Row 3, authority_gss: there is no local authority with the code W06999999' },
      { path: 'row 3, kind', text: 'Row 3, kind: “junior” is not a kind of provider: use one of primary, secondary, all_age, special, pupil_referral_unit, nursery, post_16, other' },
      { path: 'row 3, last_inspected_on', text: 'Row 3, last_inspected_on: “2025-02-30” must be a real date in the format YYYY-MM-DD, or empty' },
      { path: 'row 3, report_url', text: 'Row 3, report_url: “http://example.org/x” must be a web address starting https://, or empty' },
      { path: 'row 4, reference', text: 'Row 4, reference: 200 is already on row 2: each provider may appear only once' },
      { path: 'row 5, last_inspected_on', text: 'Row 5, last_inspected_on: “not a date” must be a real date in the format YYYY-MM-DD, or empty' },
      { path: 'row 5, report_url', text: 'Row 5, report_url: “https://” must be a web address starting https://, or empty' },
      { path: 'row 6', text: 'Row 6: has 3 columns but needs 7: put a value containing a comma in double quotes' },
    ])
  })

  it('counts a row over several lines as one row in the numbers it gives', () => {
    const text = `${HEADER}\nW06000008,300,A,primary,,"two\nlines",\nW06000008,301,B,bad_kind,,,\n`
    expect(messages(text).map((m) => m.path)).toEqual(['row 3, kind'])
  })

  it('refuses a wrong header, showing the one expected, without checking the rows', () => {
    const text = 'authority,reference,name,kind,date,summary,url\nW06999999,1,,x,,,'
    expect(messages(text)).toEqual([{
      path: 'row 1, header',
      text: `Row 1, header: the first row must be exactly ${HEADER} (it is authority,reference,name,kind,date,summ…)`,
    }])
  })

  it('accepts the header in any letter case', () => {
    expect(readProvidersCsv(`${HEADER.toUpperCase()}\nW06000008,1,A,other,,,`, AUTHORITIES).problems).toEqual([])
  })

  it('refuses an empty file, and a header with no rows', () => {
    expect(messages('')).toEqual([{ path: 'file', text: 'The file is empty: it needs the header row and at least one provider' }])
    expect(messages('\uFEFF\r\n')).toHaveLength(1)
    expect(messages(`${HEADER}\r\n`)).toEqual([{ path: 'file', text: 'The file has the header row but no providers' }])
  })

  it('refuses more than 20,000 rows and more than 5 MB', () => {
    const row = (i: number) => `W06000008,${i},School ${i},primary,,,`
    const many = [HEADER, ...Array.from({ length: MAX_ROWS + 1 }, (_, i) => row(i))].join('\n')
    expect(messages(many)).toEqual([{ path: 'file', text: 'The file has 20001 providers: import at most 20000 at a time' }])
    const justEnough = [HEADER, ...Array.from({ length: MAX_ROWS }, (_, i) => row(i))].join('\n')
    expect(readProvidersCsv(justEnough, AUTHORITIES).rows).toHaveLength(MAX_ROWS)
    const big = `${HEADER}\nW06000008,1,A,primary,,"${'x'.repeat(MAX_FILE_BYTES)}",`
    expect(messages(big)).toEqual([{ path: 'file', text: 'The file is 5.0 MB: it must be 5 MB or smaller. Split it into smaller files' }])
  })

  it('checks the rows before an unclosed quote and lists that problem last', () => {
    const text = `${HEADER}\nW06000008,1,A,wrong,,,\nW06000008,2,"B,primary,,,\nW06000008,3,C,primary,,,`
    expect(messages(text).map((m) => m.path)).toEqual(['row 2, kind', 'row 3'])
    expect(messages(text)[1]!.text).toBe('Row 3: a quoted value is never closed: a closing quote mark is missing')
  })

  it('refuses a value over its length', () => {
    const text = `${HEADER}\nW06000008,${'9'.repeat(51)},${'n'.repeat(201)},primary,,,`
    expect(messages(text).map((m) => m.text)).toEqual([
      'Row 2, reference: must be 50 characters or fewer',
      'Row 2, name: must be 200 characters or fewer',
    ])
  })
})
