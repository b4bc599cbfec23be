// useList: a list the API pages the way every list of isms does, `?limit=N&after=<next>`
// answering `{"items":[…],"next":"…"|null}` (docs/openapi.yaml, "Lists"). It holds the
// filters, the items loaded so far and the cursor of the next page, loading and error, and
// whether the list is known to be empty; a new load drops the answer of any older one still
// on its way, so a quick change of filters never shows stale rows. ListPage shows it.
//
//   const list = useList((page, f) => usersApi.list({ ...page, q: f.q || undefined }),
//                        { filters: { q: '' }, limit: 50 })
//   list.filters.q = 'zhang'; list.load()      // first page again
//   list.more()                                 // the next page, appended
import { computed, onMounted, reactive, ref, watch, type Ref } from 'vue'
import type { Page } from '@/api/types'

/** What one page asks for: its size and, after the first, the cursor. */
export interface PageQuery {
  limit: number
  after?: string
}

export interface ListOptions<F> {
  /** The filters' first values (reset() goes back to them). */
  filters?: F
  /** Page size (1 to 500); default 50. */
  limit?: number
  /** Load the first page when the screen mounts (default true). */
  immediate?: boolean
  /** Load again whenever a filter changes. */
  reloadOnFilter?: boolean
}

export interface List<T, F> {
  /** The filters, bound to the screen's inputs; load() sends them. */
  readonly filters: F
  /** The items loaded so far, in the API's order. */
  items: T[]
  /** The cursor of the next page; null when the last page is loaded. */
  next: string | null
  /** The first page is on its way. */
  readonly loading: boolean
  /** A further page is on its way. */
  readonly loadingMore: boolean
  /** The refusal of the last load, in words; '' when it went well. */
  error: string
  /** A page has arrived since the last load began. */
  readonly loaded: boolean
  /** Loaded, without error, and nothing in it. */
  readonly empty: boolean
  /** Loads the first page (from `after`, when given) with the current filters. */
  load(after?: string): Promise<void>
  /** Appends the next page. */
  more(): Promise<void>
  /** Puts the filters back to their first values and loads. */
  reset(): Promise<void>
  /** Replaces the item with the same key (or puts it first). */
  replace(item: T, key?: keyof T): void
  /** Removes the item with the same key. */
  remove(item: T, key?: keyof T): void
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}

export function useList<T, F extends object = Record<string, never>>(
  fetch: (page: PageQuery, filters: F) => Promise<Page<T>>,
  o: ListOptions<F> = {},
): List<T, F> {
  const first = JSON.stringify(o.filters ?? {})
  const filters = reactive(JSON.parse(first)) as F
  const items = ref([]) as Ref<T[]>
  const next = ref<string | null>(null)
  const loading = ref(false)
  const loadingMore = ref(false)
  const error = ref('')
  const loaded = ref(false)
  const limit = o.limit ?? 50
  let seq = 0

  async function load(after?: string) {
    const mine = ++seq
    loading.value = true
    loadingMore.value = false
    loaded.value = false
    error.value = ''
    try {
      const page = await fetch(after ? { limit, after } : { limit }, filters)
      if (mine !== seq) return
      items.value = page.items
      next.value = page.next
      loaded.value = true
    } catch (e) {
      if (mine !== seq) return
      items.value = []
      next.value = null
      error.value = message(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }
  async function more() {
    if (!next.value || loading.value || loadingMore.value) return
    const mine = seq
    loadingMore.value = true
    try {
      const page = await fetch({ limit, after: next.value }, filters)
      if (mine !== seq) return
      items.value = [...items.value, ...page.items]
      next.value = page.next
    } catch (e) {
      if (mine === seq) error.value = message(e)
    } finally {
      if (mine === seq) loadingMore.value = false
    }
  }
  function reset() {
    Object.assign(filters, JSON.parse(first))
    return load()
  }
  function at(item: T, key: keyof T) {
    return items.value.findIndex((x) => x[key] === item[key])
  }
  function replace(item: T, key = 'id' as keyof T) {
    const i = at(item, key)
    items.value = i >= 0 ? items.value.map((x, j) => (j === i ? { ...x, ...item } : x)) : [item, ...items.value]
  }
  function remove(item: T, key = 'id' as keyof T) {
    items.value = items.value.filter((x) => x[key] !== item[key])
  }

  if (o.reloadOnFilter) watch(() => JSON.stringify(filters), () => load())
  if (o.immediate !== false) onMounted(() => load())

  return reactive({
    filters,
    items,
    next,
    loading,
    loadingMore,
    error,
    loaded,
    empty: computed(() => loaded.value && !error.value && items.value.length === 0),
    load,
    more,
    reset,
    replace,
    remove,
  }) as unknown as List<T, F>
}
