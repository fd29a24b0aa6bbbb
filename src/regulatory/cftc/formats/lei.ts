/**
 * An ISO 17442 Legal Entity Identifier: 18 alphanumerics and two check digits, which make the whole
 * (letters as 10..35) equal 1 modulo 97 (ISO 7064 MOD 97-10). Checked so that a mistyped LEI in
 * config is caught here rather than rejected by the Commission.
 */
export function isValidLei(lei: string): boolean {
  if (!/^[A-Z0-9]{18}\d{2}$/.test(lei)) return false;
  let remainder = 0;
  for (const char of lei) {
    const digits = /[A-Z]/.test(char) ? String(char.charCodeAt(0) - 55) : char;
    for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}
