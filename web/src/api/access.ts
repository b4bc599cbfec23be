// Who can do what (权限矩阵): the roles × permissions matrix with the people holding each role.
import { download, request } from './client'

export const accessApi = {
  matrix: () => request('get', '/permissions'),
  /** The matrix as the assessor's file (XLSX or CSV), in the interface's language. */
  export: (format: 'xlsx' | 'csv') => download('/permissions', { format }),
}
