/**
 * A cell of a CSV file we give people to open in a spreadsheet. A cell starting with "=", "+", "-",
 * "@", a tab or a carriage return is taken as a formula by Excel, LibreOffice and Google Sheets
 * (CSV injection, OWASP): it gets a leading apostrophe, which spreadsheets show as text.
 */
export function safeCell(value: string | number): string | number {
  if (typeof value === 'number') return value;
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
