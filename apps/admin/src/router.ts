/**
 * Routes and the one guard: pages marked `requiresAuth` send a signed-out
 * user to the login page (and back afterwards); the login page sends a
 * signed-in user home.
 */
import { createRouter, createWebHistory, type Router } from 'vue-router';
import AppShell from './components/AppShell.vue';
import HomePage from './pages/HomePage.vue';
import LoginPage from './pages/LoginPage.vue';
import NotFoundPage from './pages/NotFoundPage.vue';
import { useAuthStore } from './stores/auth';

declare module 'vue-router' {
  interface RouteMeta {
    requiresAuth?: boolean;
    title?: string;
  }
}

/** Only same-app paths are followed after sign-in, never another origin. */
export const safeRedirect = (value: unknown): string =>
  typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : '/';

export function createAppRouter(): Router {
  const router = createRouter({
    history: createWebHistory(),
    routes: [
      { path: '/login', name: 'login', component: LoginPage, meta: { title: 'Sign in' } },
      {
        path: '/',
        component: AppShell,
        meta: { requiresAuth: true },
        children: [{ path: '', name: 'home', component: HomePage, meta: { title: 'Home' } }],
      },
      {
        path: '/:pathMatch(.*)*',
        name: 'not-found',
        component: NotFoundPage,
        meta: { title: 'Not found' },
      },
    ],
  });

  router.beforeEach(async (to) => {
    const auth = useAuthStore();
    await auth.loadMe();
    if (to.matched.some((record) => record.meta.requiresAuth) && !auth.signedIn) {
      return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
    }
    if (to.name === 'login' && auth.signedIn) return safeRedirect(to.query.redirect);
    return true;
  });

  router.afterEach((to) => {
    document.title = to.meta.title ? `${to.meta.title} · Mailroom` : 'Mailroom';
  });

  return router;
}
