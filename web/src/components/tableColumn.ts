// Element Plus types a column's slot row as "any record"; a screen that knows its rows asks
// for a column of that type, and its slots get the row typed:
//   const Col = columnOf<Task>()
//   <Col :label="…"><template #default="{ row }">{{ row.due_at }}</template></Col>
import { ElTableColumn } from 'element-plus'
import 'element-plus/es/components/table-column/style/css'

export function columnOf<T extends Record<PropertyKey, unknown>>() {
  return ElTableColumn<T>
}
