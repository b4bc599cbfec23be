// Copies a text to the clipboard, also on pages served over plain HTTP inside a hospital's
// network (navigator.clipboard exists only in secure contexts) or where the browser refuses
// it: then a hidden text box is selected and copied. Resolves true when the text was copied.
export async function copyText(text: string): Promise<boolean> {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text)
      return true
    } catch {
      /* refused (no permission, no focus): the fallback below */
    }
  }
  const ta = document.createElement('textarea')
  ta.value = text
  ta.setAttribute('readonly', '')
  ta.style.position = 'fixed'
  ta.style.opacity = '0'
  document.body.appendChild(ta)
  ta.select()
  let ok = false
  try {
    ok = document.execCommand('copy')
  } catch {
    ok = false
  }
  ta.remove()
  return ok
}
