import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { router } from './router'
import { i18n } from './i18n'
import { onAuthProblem } from './api'
import { useAuth } from './stores/auth'
// Styles of the services called from code (the components' own come with them).
import 'element-plus/theme-chalk/el-message.css'
import 'element-plus/theme-chalk/el-message-box.css'
import 'element-plus/theme-chalk/el-notification.css'
import 'element-plus/theme-chalk/el-loading.css'
import './styles.css'

const app = createApp(App)
app.use(createPinia())
app.use(i18n)
app.use(router)

onAuthProblem((code) => {
  const auth = useAuth()
  if (code === 'password_change_required') {
    if (auth.me) auth.me.must_change_password = true
    router.push({ name: 'password' })
  } else if (code === 'totp_enrollment_required') {
    if (auth.me) auth.me.totp_enrollment_required = true
    router.push({ name: 'totp' })
  } else if (auth.me) {
    auth.forget()
    const next = router.currentRoute.value.fullPath
    router.push({ name: 'login', query: { next, expired: '1' } })
  }
})

router.isReady().then(() => app.mount('#app'))
