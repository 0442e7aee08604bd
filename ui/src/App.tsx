import { QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter } from 'react-router';
import { SessionHooks } from './auth/SessionHooks';
import { MaintenanceBanner } from './components/MaintenanceBanner';
import { ThemeProvider } from './layout/ThemeProvider';
import { createQueryClient } from './queryClient';
import { AppRoutes } from './routes';

const queryClient = createQueryClient();

export default function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <ThemeProvider>
        <MaintenanceBanner />
        <BrowserRouter>
          <SessionHooks />
          <AppRoutes />
        </BrowserRouter>
      </ThemeProvider>
    </QueryClientProvider>
  );
}
