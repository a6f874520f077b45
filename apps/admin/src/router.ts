/**
 * Routes and the one guard: pages marked `requiresAuth` send a signed-out
 * user to the login page (and back afterwards); the login page sends a
 * signed-in user home.
 */
import { createRouter, createWebHistory, type Router } from 'vue-router';
import AppShell from './components/AppShell.vue';
import HomePage from './pages/HomePage.vue';
import LoginPage from './pages/LoginPage.vue';
import MailboxEditorPage from './pages/MailboxEditorPage.vue';
import MailboxesPage from './pages/MailboxesPage.vue';
import MailboxLedgerPage from './pages/MailboxLedgerPage.vue';
import NotFoundPage from './pages/NotFoundPage.vue';
import TicketDetailPage from './pages/TicketDetailPage.vue';
import TicketsPage from './pages/TicketsPage.vue';
import { useAuthStore } from './stores/auth';

declare module 'vue-router' {
  interface RouteMeta {
    requiresAuth?: boolean;
    /** Admin-only pages send agents to the tickets (the API would answer 403 anyway). */
    requiresAdmin?: boolean;
    title?: string;
  }
}

/** Only same-app paths are followed after sign-in, never another origin. */
export const safeRedirect = (value: unknown): string =>
  typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : '/';

export function createAppRouter(): Router {
  const router = createRouter({
    history: createWebHistory(),
    scrollBehavior: (to, _from, saved) =>
      saved ?? (to.hash ? { el: to.hash, top: 16 } : { top: 0 }),
    routes: [
      { path: '/login', name: 'login', component: LoginPage, meta: { title: 'Sign in' } },
      {
        path: '/',
        component: AppShell,
        meta: { requiresAuth: true },
        children: [
          { path: '', name: 'home', component: HomePage, meta: { title: 'Home' } },
          {
            path: 'mailboxes',
            name: 'mailboxes',
            component: MailboxesPage,
            meta: { title: 'Mailboxes', requiresAdmin: true },
          },
          {
            path: 'mailboxes/new',
            name: 'mailbox-new',
            component: MailboxEditorPage,
            meta: { title: 'Add mailbox', requiresAdmin: true },
          },
          {
            path: 'mailboxes/:id',
            name: 'mailbox-edit',
            component: MailboxEditorPage,
            meta: { title: 'Mailbox', requiresAdmin: true },
          },
          {
            path: 'mailboxes/:id/ledger',
            name: 'mailbox-ledger',
            component: MailboxLedgerPage,
            meta: { title: 'Ledger', requiresAdmin: true },
          },
          { path: 'tickets', name: 'tickets', component: TicketsPage, meta: { title: 'Tickets' } },
          {
            path: 'tickets/:id',
            name: 'ticket',
            component: TicketDetailPage,
            meta: { title: 'Ticket' },
          },
        ],
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
    if (to.matched.some((record) => record.meta.requiresAdmin) && !auth.isAdmin) {
      return { name: 'tickets' };
    }
    if (to.name === 'login' && auth.signedIn) return safeRedirect(to.query.redirect);
    return true;
  });

  router.afterEach((to) => {
    document.title = to.meta.title ? `${to.meta.title} · Mailroom` : 'Mailroom';
  });

  return router;
}
