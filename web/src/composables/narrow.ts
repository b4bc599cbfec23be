// Whether the window is phone-narrow (below 768 px): the menu folds into a drawer, tables
// become cards, forms take one column. One media-query listener for the whole app.
import { readonly, ref, type Ref } from 'vue'

const query = window.matchMedia('(max-width: 767px)')
const narrow = ref(query.matches)
query.addEventListener('change', () => (narrow.value = query.matches))

export function useNarrow(): Readonly<Ref<boolean>> {
  return readonly(narrow)
}
