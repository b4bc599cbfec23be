// Unsaved work: leaving the screen (a menu link, back) asks first. The words are the screen's
// own (already translated).
import { onBeforeRouteLeave } from 'vue-router'
import { ElMessageBox } from 'element-plus'

export interface LeaveWords {
  message: string
  title: string
  ok: string
  stay: string
}

/** Asks whether to drop the unsaved work; true when the person agrees. */
export async function confirmLeave(w: LeaveWords): Promise<boolean> {
  try {
    await ElMessageBox.confirm(w.message, w.title, { type: 'warning', confirmButtonText: w.ok, cancelButtonText: w.stay })
    return true
  } catch {
    return false
  }
}

/** Guards the current route while pending() says there is unsaved work. */
export function useLeaveGuard(pending: () => boolean, words: () => LeaveWords) {
  onBeforeRouteLeave(() => (pending() ? confirmLeave(words()) : true))
}
