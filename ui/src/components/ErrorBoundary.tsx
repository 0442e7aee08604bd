import { Button, Result } from 'antd';
import { Component } from 'react';
import type { ErrorInfo, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router';

interface State {
  error: Error | null;
}

class Boundary extends Component<{ children: ReactNode; fallback: (error: Error) => ReactNode }, State> {
  state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  componentDidCatch(error: Error, info: ErrorInfo): void {
    // Kept for whoever opens the console; the page shows a friendly message instead.
    console.warn('page failed to render', error, info.componentStack);
  }

  render() {
    return this.state.error ? this.props.fallback(this.state.error) : this.props.children;
  }
}

function Fallback() {
  const { t } = useTranslation();
  return (
    <Result
      status="error"
      title={t('common.pageFailed')}
      subTitle={t('common.pageFailedHint')}
      extra={
        <Button type="primary" onClick={() => window.location.reload()}>
          {t('common.reload')}
        </Button>
      }
    />
  );
}

/**
 * Catches a page that fails to render or to load (e.g. a chunk of an older build that the
 * server no longer has) and offers a reload; a new page gets a fresh try.
 */
export function PageErrorBoundary({ children, resetKey }: { children: ReactNode; resetKey?: string }) {
  const location = useLocation();
  return (
    <Boundary key={resetKey ?? location.pathname} fallback={() => <Fallback />}>
      {children}
    </Boundary>
  );
}
