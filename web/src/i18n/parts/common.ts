// Words shared by every screen.
export default {
  'zh-CN': {
    app: { name: 'isms 信息安全管理系统', short: 'isms' },
    common: {
      ok: '确定', cancel: '取消', save: '保存', submit: '提交', create: '新建', edit: '编辑', delete: '删除',
      close: '关闭', back: '返回', refresh: '刷新', search: '搜索', reset: '重置', filter: '筛选', export: '导出',
      import: '导入', more: '更多', actions: '操作', status: '状态', detail: '详情', history: '历史', yes: '是', no: '否',
      none: '无', all: '全部', loading: '加载中…', empty: '暂无数据', saved: '已保存', done: '已完成', time: '时间',
      name: '名称', comment: '意见', note: '说明', required: '必填', optional: '选填', copy: '复制', copied: '已复制',
      print: '打印', language: '语言', columns: '显示列', page_more: '加载更多', confirm: '确认', view: '查看', retry: '重试',
      unknown_user: '用户 #{id}', system: '系统', id: '编号', by: '经办人', at: '于',
    },
    roles: {
      sys_admin: '系统管理员', security_admin: '安全管理员', audit_admin: '审计管理员', it_staff: '信息技术人员',
      leader: '分管领导', general_manager: '总经理', finance_head: '财务负责人', assessor: '测评人员',
    },
    errors: {
      network: '无法连接服务器，请检查网络后重试。',
      session_expired: '登录已超时，请重新登录。',
      forbidden: '您没有此操作的权限。',
      request_id: '请求编号：{id}',
    },
  },
  en: {
    app: { name: 'isms information security management', short: 'isms' },
    common: {
      ok: 'OK', cancel: 'Cancel', save: 'Save', submit: 'Submit', create: 'New', edit: 'Edit', delete: 'Delete',
      close: 'Close', back: 'Back', refresh: 'Refresh', search: 'Search', reset: 'Reset', filter: 'Filter', export: 'Export',
      import: 'Import', more: 'More', actions: 'Actions', status: 'Status', detail: 'Details', history: 'History', yes: 'Yes', no: 'No',
      none: 'None', all: 'All', loading: 'Loading…', empty: 'Nothing here yet', saved: 'Saved', done: 'Done', time: 'Time',
      name: 'Name', comment: 'Comment', note: 'Note', required: 'Required', optional: 'Optional', copy: 'Copy', copied: 'Copied',
      print: 'Print', language: 'Language', columns: 'Columns', page_more: 'Load more', confirm: 'Confirm', view: 'View', retry: 'Try again',
      unknown_user: 'User #{id}', system: 'System', id: 'No.', by: 'By', at: 'at',
    },
    roles: {
      sys_admin: 'System administrator', security_admin: 'Security administrator', audit_admin: 'Audit administrator',
      it_staff: 'IT staff', leader: 'Leadership', general_manager: 'General manager', finance_head: 'Finance head', assessor: 'Assessor',
    },
    errors: {
      network: 'The server cannot be reached; check the network and try again.',
      session_expired: 'Your session has ended; please log in again.',
      forbidden: 'You are not allowed to do this.',
      request_id: 'Request id: {id}',
    },
  },
}
