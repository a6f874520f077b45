import { createPinia } from 'pinia';
import { createApp } from 'vue';
import { apiClientKey, createApiClient } from './api/client';
import MailroomApp from './MailroomApp.vue';
import { createAppRouter } from './router';
import './styles.css';

const app = createApp(MailroomApp);
app.provide(apiClientKey, createApiClient(window.location.origin));
app.use(createPinia());
app.use(createAppRouter());
app.mount('#app');
