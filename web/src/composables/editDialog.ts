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
import { nextTick, reactive, ref, shallowReactive } from 'vue'
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
  /** The form item an API field path names; default: the path's first key, if the form has it. */
  field?: FieldMap
  /** A refusal the screen words itself: return a message for the top of the dialog, or true
   *  once it has put it somewhere itself; nothing for the usual handling. */
  refused?: (e: ApiError, row: Row | null) => string | boolean | void
}

export function useEditDialog<Row, Form extends object>(o: EditDialogOptions<Row, Form>) {
  const form = reactive(o.blank()) as Form
  const fe = useFieldErrors(o.field ?? Object.keys(form))
  const state = shallowReactive({
    /** Whether the dialog is open (v-model of el-dialog). */
    visible: false,
    /** The row being edited; null when creating. */
    editing: null as Row | null,
    saving: false,
    /** The refusal that names no field of the form, for the top of the dialog. */
    error: '',
  })
  const formRef = ref<FormInstance>()

  function reset(values: Form) {
    for (const k of Object.keys(form)) if (!(k in values)) delete (form as Record<string, unknown>)[k]
    Object.assign(form, values)
    fe.clear()
    state.error = ''
    nextTick(() => formRef.value?.clearValidate())
  }
  function openCreate(init?: Partial<Form>) {
    state.editing = null
    reset({ ...o.blank(), ...init })
    state.visible = true
  }
  function openEdit(row: Row) {
    state.editing = row
    reset(o.fromRow ? o.fromRow(row) : o.blank())
    state.visible = true
  }
  function close() {
    state.visible = false
  }
  /** Checks the form's rules, sends it, and closes on success; true when it was saved. */
  async function submit(): Promise<boolean> {
    fe.clear()
    state.error = ''
    if (formRef.value && !(await formRef.value.validate().catch(() => false))) return false
    state.saving = true
    try {
      const r = await o.save(form, state.editing)
      if (r === false) return false
      state.visible = false
      return true
    } catch (e) {
      const own = e instanceof ApiError && o.refused ? o.refused(e, state.editing) : undefined
      if (typeof own === 'string') state.error = own
      else if (own !== true && !fe.take(e)) state.error = errorText(e)
      return false
    } finally {
      state.saving = false
    }
  }
  /** For `:ref` of the el-form: its rules run before sending. */
  function bind(el: unknown) {
    formRef.value = (el as FormInstance | null) ?? undefined
  }

  return Object.assign(state, {
    form,
    /** The messages under the form items, by key (el-form-item :error). */
    errors: fe.errors,
    /** Puts a message under an item (the screen's own check). */
    setError: fe.set,
    bind,
    openCreate,
    openEdit,
    close,
    submit,
  })
}
