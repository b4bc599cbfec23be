// What the policy pack and the organization look like: forms, registers, request types,
// time rules, roles, departments and the people directory. Loaded once per session and
// shared by every screen.
import { defineStore } from 'pinia'
import { departmentsApi, directoryApi, rolesApi } from '@/api/org'
import { packApi } from '@/api/records'
import { timeRulesApi } from '@/api/time'
import type { Department, PackDeadline, PackDuty, PackForm, PackRegister, PackRequestType, Person, Role } from '@/api/types'

export const useMeta = defineStore('meta', {
  state: () => ({
    forms: {} as Record<string, PackForm>,
    registers: [] as PackRegister[],
    requestTypes: [] as PackRequestType[],
    timeRules: { deadlines: [] as PackDeadline[], duties: [] as PackDuty[] },
    roles: [] as Role[],
    departments: [] as Department[],
    people: {} as Record<number, Person>,
    packLoaded: false,
    orgLoaded: false,
  }),
  actions: {
    async loadPack(force = false) {
      if (this.packLoaded && !force) return
      const [f, q, t] = await Promise.all([packApi.forms(), packApi.requests(), timeRulesApi.get()])
      this.forms = Object.fromEntries(f.forms.map((x) => [x.id, x]))
      this.registers = f.registers
      this.requestTypes = q.requests
      this.timeRules = { deadlines: t.deadlines ?? [], duties: t.duties ?? [] }
      this.packLoaded = true
    },
    async loadOrg(force = false) {
      if (this.orgLoaded && !force) return
      const [roles, depts, people] = await Promise.all([rolesApi.list(), departmentsApi.all(), directoryApi.all()])
      this.roles = roles.items
      this.departments = depts
      this.people = Object.fromEntries(people.map((p) => [p.id, p]))
      this.orgLoaded = true
    },
    register(id: string): PackRegister | undefined {
      return this.registers.find((r) => r.id === id)
    },
    requestType(id: string): PackRequestType | undefined {
      return this.requestTypes.find((r) => r.id === id)
    },
    department(id: number | null | undefined): Department | undefined {
      return id ? this.departments.find((d) => d.id === id) : undefined
    },
  },
})
