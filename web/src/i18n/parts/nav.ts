// The frame: menu groups, header, page titles of the session screens.
export default {
  'zh-CN': {
    nav: {
      skip: '跳到主要内容', menu: '主菜单', open_menu: '打开菜单', dashboard: '工作台', account: '我的账号', logout: '退出登录',
      employee: '员工', notifications_count: '通知，{n} 条未读', not_found: '页面不存在', forbidden: '无权访问',
      group: { work: '我的工作', registers: '台账', admin: '系统管理', security: '安全管理', audit: '安全审计', account: '个人' },
    },
  },
  en: {
    nav: {
      skip: 'Skip to main content', menu: 'Main menu', open_menu: 'Open the menu', dashboard: 'Dashboard', account: 'My account', logout: 'Log out',
      employee: 'Employee', notifications_count: 'Notifications, {n} unread', not_found: 'Page not found', forbidden: 'Not allowed',
      group: { work: 'My work', registers: 'Registers', admin: 'Administration', security: 'Security', audit: 'Audit', account: 'Personal' },
    },
  },
}
