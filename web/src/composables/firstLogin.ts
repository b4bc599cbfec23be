// The one-time password typed at login, kept in memory only for the forced change that
// follows, so the person does not type it twice. Never stored.
let otp: string | null = null
export function rememberInitialPassword(pw: string | null) {
  otp = pw
}
export function takeInitialPassword(): string | null {
  return otp
}
