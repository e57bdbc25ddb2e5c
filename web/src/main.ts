import { api } from './api.ts';
import { h } from './dom.ts';
import { authHref } from './return-path.ts';
import { navigate, notFound, onRouteChange, route, startRouter } from './router.ts';
import { session } from './session.ts';
import type { User } from './types.ts';
import { loginPage, registerPage } from './views/auth-pages.ts';
import { eventPage } from './views/event-page.ts';
import { eventsPage } from './views/events-page.ts';
import { orderPage, ticketsPage } from './views/orders-pages.ts';

route('/', eventsPage);
route('/events/:eventId', eventPage);
route('/login', loginPage);
route('/register', registerPage);
route('/tickets', ticketsPage);
route('/orders/:orderId', orderPage);
notFound((main) => {
  main.append(h('h1', {}, 'Page not found'), h('p', {}, 'There is nothing here. ', h('a', { href: '/', 'data-link': true }, 'See all events')));
});

/** The navigation reflects who is logged in; Log in and Create account lead back to the page on screen. */
function drawNav(user: User | null): void {
  const link = (href: string, text: string) => h('li', {}, h('a', { href, 'data-link': true }, text));
  const logOut = h('button', {
    type: 'button',
    class: 'link-button',
    onclick: async () => {
      await api.logOut().catch(() => undefined);
      session.set(null);
      navigate('/');
    },
  }, 'Log out');
  document.getElementById('nav')!.replaceChildren(
    link('/', 'Events'),
    ...(user
      ? [link('/tickets', 'My tickets'), h('li', { class: 'who' }, `Signed in as ${user.name}`), h('li', {}, logOut)]
      : [link(authHref('/login'), 'Log in'), link(authHref('/register'), 'Create account')]),
  );
}

session.onChange(drawNav);
onRouteChange(() => drawNav(session.user));
drawNav(null);
session.load().catch(() => undefined).finally(startRouter);
