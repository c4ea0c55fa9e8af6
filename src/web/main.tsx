/** Entry point of the Vetted web client. */
import '@mantine/core/styles.css';
import './styles.css';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { ApiError, setCsrfToken, setReadOnlyHandler, setUnauthorizedHandler } from './lib/api.js';
import { sessionKey, sessionQuery } from './lib/session.js';
import { makeRouter } from './router.js';
import { setUpI18n } from './i18n/index.js';
import { cssVariablesResolver, theme } from './theme.js';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: false,
      retry: (failures, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failures < 2,
    },
  },
});

// Who is signed in is asked at once, while the reader's language loads: the sign-in page and the
// guard of the pages behind it read the same query, and find it answered or on its way.
void queryClient.prefetchQuery(sessionQuery);
const i18n = await setUpI18n();

const router = makeRouter(queryClient);

// An authenticated call answered 401: the session ended. Forget it and go to sign-in.
setUnauthorizedHandler(() => {
  setCsrfToken(null);
  queryClient.setQueryData(sessionKey, null);
  const { pathname, href } = router.state.location;
  if (pathname !== '/sign-in') void router.navigate({ to: '/sign-in', search: { redirect: href } });
});

// A change was refused because the institution reached its end of service: fetch the session again,
// so the read-only banner shows and the write controls are disabled.
setReadOnlyHandler(() => void queryClient.invalidateQueries({ queryKey: sessionKey }));

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('missing #root');

createRoot(rootElement).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="light">
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </MantineProvider>
    </I18nextProvider>
  </StrictMode>,
);
