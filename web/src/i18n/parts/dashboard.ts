// The dashboard (工作台).
export default {
  'zh-CN': {
    dash: {
      hello: '您好，{name}', new_request: '发起申请', inbox: '待我审批', overdue: '超时事项', tasks: '我的例行工作', mine: '我的在办申请',
      overdue_org: '全单位超时事项', overdue_dept: '本部门超时事项', overdue_mine: '我的超时事项',
      nothing_overdue: '没有超时事项', nothing_inbox: '没有待您审批的申请', nothing_tasks: '没有待办的例行工作',
      nothing_mine: '没有在办的申请', nothing_faults: '没有未处理的故障', nothing_missed: '没有错过的例行工作',
      faults: '未处理的故障报修', missed: '错过的例行工作', compliance: '制度执行情况', deadline_rate: '时限按时完成率',
      task_rate: '例行工作完成率', by_rule: '各项时限', by_duty: '各项例行工作', escalated: '已逐级上报 {n} 级',
      late_days: '超时 {n} 天', late_hours: '超时 {n} 小时', late_minutes: '超时 {n} 分钟', due: '截止 {time}',
      state: { met: '按时完成', due: '进行中', paused: '已暂停', overdue: '已超时', breached: '超时完成', done: '已完成', open: '待完成', missed: '已错过' },
      request_status: { pending: '审批中', returned: '已退回', approved: '已批准', completed: '已办结', rejected: '已驳回', withdrawn: '已撤回' },
    },
  },
  en: {
    dash: {
      hello: 'Hello, {name}', new_request: 'New request', inbox: 'Waiting for my approval', overdue: 'Overdue', tasks: 'My recurring duties', mine: 'My open requests',
      overdue_org: 'Overdue in the organization', overdue_dept: 'Overdue in my department', overdue_mine: 'My overdue items',
      nothing_overdue: 'Nothing is overdue', nothing_inbox: 'Nothing waits for your approval', nothing_tasks: 'No duty is due',
      nothing_mine: 'No open request', nothing_faults: 'No open fault', nothing_missed: 'No missed duty',
      faults: 'Open fault reports', missed: 'Missed duties', compliance: 'How the regime is kept', deadline_rate: 'Deadlines met in time',
      task_rate: 'Duties done', by_rule: 'By deadline rule', by_duty: 'By recurring duty', escalated: 'escalated {n} level(s)',
      late_days: '{n} days late', late_hours: '{n} h late', late_minutes: '{n} min late', due: 'due {time}',
      state: { met: 'Met', due: 'Running', paused: 'Paused', overdue: 'Overdue', breached: 'Met late', done: 'Done', open: 'Open', missed: 'Missed' },
      request_status: { pending: 'Pending', returned: 'Returned', approved: 'Approved', completed: 'Completed', rejected: 'Rejected', withdrawn: 'Withdrawn' },
    },
  },
}
