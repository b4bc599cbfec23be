// Colours of the backup jobs' states: red when a run is missing or failed, amber when it is
// not verified, grey when nothing was ever reported, green when all is well.
import type { JobStatus } from '@/api/backup'

export function jobStatusType(s: JobStatus): 'success' | 'danger' | 'warning' | 'info' {
  switch (s) {
    case 'ok':
      return 'success'
    case 'missed':
    case 'failed':
      return 'danger'
    case 'unverified':
      return 'warning'
    default:
      return 'info'
  }
}
