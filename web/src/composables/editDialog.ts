// useEditDialog: the state of a dialog that creates or edits one thing, the same on every
// screen. It opens blank (create) or from a row (edit), holds the form model, runs the form's
// own rules first, sends, and on a refusal puts the server's message under the field it names
// (formErrors.ts), or at the top of the dialog when it names none.
//
//   const dlg = useEditDialog({
//     blank: () => ({ name: '', parent_id: null }),
//     fromRow: (d: Department) => ({ name: d.name, parent_id: d.parent_id }),
//     save: (form, row) => (row ? departmentsApi.update(row.id, …) : departmentsApi.create(…)),
//   })
//   <el-dialog v-model="dlg.visible">
//     <el-alert v-if="dlg.error" :title="dlg.error" />
//     <el-form :ref="dlg.bind" :model="dlg.form" :rules="rules">
//       <el-form-item prop="name" :error="dlg.errors.name"> <el-input v-model="dlg.form.name" />
//     … <el-button :loading="dlg.saving" @click="dlg.submit">
import { nextTick, reactive, ref, shallowRef, type Ref } from 'vue'
import type { FormInstance } from 'element-plus'
import { ApiError } from '@/api'
import { errorText, useFieldErrors, type FieldMap } from '@/components/formErrors'

export interface EditDialogOptions<Row, Form extends object> {
  /** The form of a new thing. */
  blank: () => Form
  /** The form of an existing one (edit); without it openEdit starts from blank(). */
  fromRow?: (row: Row) => Form
  /** Sends the form (row: null when creating). Throws the server's refusal; resolving to
   *  false keeps the dialog open (nothing to send, or the screen says why itself). */
  save: (form: Form, row: Row | null) => Promise<unknown>
  /** The screen's own checks besides the form's rules (messages through setError); false
   *  stops the sending. Run together with the rules, so every problem shows at once. */
  check?: (form: Form, row: Row | null) => boolean
  /** The form item an API field path names; default: the path's first key, if the form has it. */
  field?: FieldMap
  /** A refusal the screen words itself: return a message for the top of the dialog, or true
   *  once it has put it somewhere itself; nothing for the usual handling. */
  refused?: (e: ApiError, row: Row | null) => string | boolean | void
  /** Whether it is open, when that is not the dialog's own (a dialog component's v-model). */
  visible?: Ref<boolean>
}

export function useEditDialog<Row, Form extends object>(o: EditDialogOptions<Row, Form>) {
  const form = reactive(o.blank()) as Form
  const fe = useFieldErrors(o.field ?? Object.keys(form))
  const visible = o.visible ?? ref(false)
  const editing = shallowRef<Row | null>(null)
  const saving = ref(false)
  const error = ref('')
  const formRef = ref<FormInstance>()

  function reset(values: Form) {
    for (const k of Object.keys(form)) if (!(k in values)) delete (form as Record<string, unknown>)[k]
    Object.assign(form, values)
    fe.clear()
    error.value = ''
    nextTick(() => formRef.value?.clearValidate())
  }
  function openCreate(init?: Partial<Form>) {
    editing.value = null
    reset({ ...o.blank(), ...init })
    visible.value = true
  }
  function openEdit(row: Row) {
    editing.value = row
    reset(o.fromRow ? o.fromRow(row) : o.blank())
    visible.value = true
  }
  function close() {
    visible.value = false
  }
  /** Checks the form's rules, sends it, and closes on success; true when it was saved. */
  async function submit(): Promise<boolean> {
    fe.clear()
    error.value = ''
    const valid = formRef.value ? await formRef.value.validate().catch(() => false) : true
    const checked = o.check ? o.check(form, editing.value) : true
    if (!valid || !checked) return false
    saving.value = true
    try {
      const r = await o.save(form, editing.value)
      if (r === false) return false
      visible.value = false
      return true
    } catch (e) {
      const own = e instanceof ApiError && o.refused ? o.refused(e, editing.value) : undefined
      if (typeof own === 'string') error.value = own
      else if (own !== true && !fe.take(e)) error.value = errorText(e)
      return false
    } finally {
      saving.value = false
    }
  }
  /** Takes back the messages of the form's rules (a change that alters which rules apply). */
  function clearValidate() {
    formRef.value?.clearValidate()
  }
  /** For `:ref` of the el-form: its rules run before sending. */
  function bind(el: unknown) {
    formRef.value = (el as FormInstance | null) ?? undefined
  }

  return {
    /** Whether the dialog is open (v-model of el-dialog). */
    get visible() {
      return visible.value
    },
    set visible(v: boolean) {
      visible.value = v
    },
    /** The row being edited; null when creating. */
    get editing() {
      return editing.value
    },
    set editing(row: Row | null) {
      editing.value = row
    },
    get saving() {
      return saving.value
    },
    /** The refusal that names no field of the form, for the top of the dialog. */
    get error() {
      return error.value
    },
    form,
    /** The messages under the form items, by key (el-form-item :error). */
    errors: fe.errors,
    /** Puts a message under an item (the screen's own check). */
    setError: fe.set,
    bind,
    clearValidate,
    openCreate,
    openEdit,
    close,
    submit,
  }
}
