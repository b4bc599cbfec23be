// Element Plus tables have no row attributes, yet links, keyboard focus and the end-to-end
// tests want each body row to say whose it is. Give the table
//   :row-class-name="rowIdClass"  v-row-ids="'requestId'"
// and each <tr> gets data-request-id (the dataset key names the attribute), kept as rows
// change. rowIdClass composes with a screen's own row classes.
import type { Directive } from 'vue'

export function rowIdClass({ row }: { row: { id: number } }): string {
  return `row-id-${row.id}`
}

function apply(el: HTMLElement, key: string) {
  el.querySelectorAll<HTMLElement>('tr[class*="row-id-"]').forEach((tr) => {
    const m = tr.className.match(/\brow-id-(\d+)\b/)
    if (m && tr.dataset[key] !== m[1]) tr.dataset[key] = m[1]
  })
}

type El = HTMLElement & { _rowIds?: MutationObserver }

export const vRowIds: Directive<El, string> = {
  mounted(el, binding) {
    apply(el, binding.value)
    el._rowIds = new MutationObserver(() => apply(el, binding.value))
    el._rowIds.observe(el, { subtree: true, childList: true, attributes: true, attributeFilter: ['class'] })
  },
  beforeUnmount(el) {
    el._rowIds?.disconnect()
  },
}
