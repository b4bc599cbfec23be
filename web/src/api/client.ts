// The typed layer over send(): every call names a documented path (docs/openapi.yaml, as
// generated into schema.d.ts) and gets the path parameters, query, body and answer that the
// document gives that operation, so a screen cannot ask for a route or a field the API does
// not have. The per-module clients (users.ts, records.ts, …) are one-line functions on it.
import type { components, paths } from './schema'
import { download as downloadUrl, send, type Query } from './index'

/** The documented shapes, by their name in docs/openapi.yaml. */
export type Schemas = components['schemas']

type Base = '/api/v1'
type Method = 'get' | 'put' | 'post' | 'delete' | 'patch'
/** A documented path without the base path: '/users/{id}'. */
export type Path = keyof paths extends infer K ? (K extends `${Base}${infer R}` ? R : never) : never
type Item<P extends Path> = paths[`${Base}${P}`]
/** The paths that answer a method. */
type PathOf<M extends Method> = { [P in Path]: Item<P>[M] extends undefined ? never : P }[Path]
type Op<P extends Path, M extends Method> = NonNullable<Item<P>[M]>

type JsonOf<R> = R extends { content: { 'application/json': infer J } } ? J : never
/** The items of a paged answer (`allOf: [Page, {items: [T]}]`). */
type ItemOf<A> = A extends { items?: (infer I)[] } ? I : never
/** A paged answer with its items typed (the generated intersection leaves them unknown[]). */
type Paged<A> = A extends { next: string | null; items: unknown[] } ? Omit<A, 'items'> & { items: ItemOf<A>[] } : A
/** What a 200/201 of the operation holds. */
export type Answer<O> = O extends { responses: infer R } ? Paged<JsonOf<R[Extract<keyof R, 200 | 201>]>> : never

type NotNever<T, Then, Else> = [T] extends [never] ? Else : Then
type PathParams<O> = O extends { parameters: { path?: infer X } } ? NonNullable<X> : never
type QueryOf<O> = O extends { parameters: { query?: infer X } } ? NonNullable<X> : never
type BodyOf<O> = O extends { requestBody?: infer B } ? JsonOf<NonNullable<B>> : never

type BodyRequired<O> = O extends { requestBody: unknown } ? true : false
/** A query with a required parameter (`/records?type=`) is itself required. */
type QueryRequired<O> = O extends { parameters: { query: unknown } } ? true : false

/** What a call of the operation takes: `path` when it has parameters, `query`, and `body`
 *  (optional where the document says so). */
export type Input<O> = NotNever<PathParams<O>, { path: PathParams<O> }, { path?: undefined }> &
  NotNever<QueryOf<O>, QueryRequired<O> extends true ? { query: QueryOf<O> } : { query?: QueryOf<O> }, { query?: undefined }> &
  NotNever<BodyOf<O>, BodyRequired<O> extends true ? { body: BodyOf<O> } : { body?: BodyOf<O> }, { body?: undefined }>

/** The query a GET of the path takes, and the answer it gives. */
export type QueryFor<P extends PathOf<'get'>> = QueryOf<Op<P, 'get'>>
export type AnswerFor<P extends Path, M extends Method> = Answer<Op<P, M>>
/** The body a method of the path takes. */
export type BodyFor<P extends Path, M extends Method> = BodyOf<Op<P, M>>
/** The items of a paged GET of the path. */
export type ItemFor<P extends PathOf<'get'>> = ItemOf<JsonOf<Op<P, 'get'>['responses'][200]>>

function fill(path: string, params?: Record<string, string | number>): string {
  return path.replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = params?.[k]
    if (v === undefined) throw new Error(`isms: no value for {${k}} of ${path}`)
    return encodeURIComponent(String(v))
  })
}

/** Calls one documented operation. */
export function request<M extends Method, P extends PathOf<M>>(
  method: M,
  path: P,
  ...[input]: {} extends Input<Op<P, M>> ? [Input<Op<P, M>>?] : [Input<Op<P, M>>]
): Promise<Answer<Op<P, M>>> {
  const i = (input ?? {}) as { path?: Record<string, string | number>; query?: Query; body?: unknown }
  const body = i.body === undefined && method === 'post' ? {} : i.body
  return send(method.toUpperCase(), fill(path, i.path), body, i.query)
}

/** Every page of a paged GET (stops at `max` items). */
export async function all<P extends PathOf<'get'>>(path: P, query?: QueryFor<P>, max = 5000): Promise<ItemFor<P>[]> {
  const out: ItemFor<P>[] = []
  let after: string | null = null
  do {
    const page = (await send('GET', path, undefined, { ...(query as Query), limit: 500, after })) as { items: ItemFor<P>[]; next: string | null }
    out.push(...page.items)
    after = page.next
  } while (after && out.length < max)
  return out
}

/** Sends a file as the body of a documented upload (POST) and returns its answer. */
export function upload<P extends PathOf<'post'>>(path: P, file: Blob | File, query?: QueryOf<Op<P, 'post'>>): Promise<Answer<Op<P, 'post'>>> {
  return send('POST', path, undefined, query as Query, file)
}

/** Starts a browser download of a documented GET (exports, attachments). */
export function download<P extends PathOf<'get'>>(path: P, query?: QueryFor<P>) {
  downloadUrl(path, query as Query)
}
