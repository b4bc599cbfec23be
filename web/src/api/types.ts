// The shapes of the JSON API under the names the screens use: the schemas of
// docs/openapi.yaml (schema.d.ts, generated; never written by hand here).
import type { ItemFor, Schemas } from './client'

export type Label = Schemas['Label']
export type RoleName = Schemas['RoleName']
export type User = Schemas['User']
export type Me = Schemas['Me']
export type Department = Schemas['Department']
export type Role = Schemas['Role']
/** An entry of the people directory (GET /directory). */
export type Person = ItemFor<'/directory'>
export type PackField = Schemas['PackField']
export type PackForm = Schemas['PackForm']
export type PackRegister = Schemas['PackRegister']
export type PackStep = Schemas['PackStep']
export type PackRequestType = Schemas['PackRequestType']
export type PackDeadline = Schemas['PackDeadline']
export type PackDuty = Schemas['PackDuty']
export type RecordRow = Schemas['Record']
export type RequestStatus = Schemas['RequestStatus']
export type RequestSummary = Schemas['RequestSummary']
export type InboxItem = Schemas['InboxItem']
export type RequestStep = Schemas['RequestStep']
export type RequestEvent = Schemas['RequestEvent']
/** A request with its approval chain and history (GET /requests/{id}). */
export type RequestFull = Schemas['Request']
export type Notification = Schemas['Notification']
export type Deadline = Schemas['Deadline']
export type Task = Schemas['Task']
export type AuditEntry = Schemas['AuditEntry']
export type ImportReport = Schemas['ImportReport']
export type FileInfo = Schemas['FileInfo']
export type Token = Schemas['Token']
export type Policy = Schemas['Policy']
export type Calendar = Schemas['Calendar']
export type Channel = Schemas['Channel']
export type Delivery = Schemas['Delivery']
export type Review = Schemas['Review']
export type ReviewItem = Schemas['ReviewItem']

/** A page of a list: its items and the cursor of the next page (null on the last). */
export interface Page<T> {
  items: T[]
  next: string | null
}
