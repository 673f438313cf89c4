import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { ApiError } from '../api/client.js';
import { useI18n } from '../i18n/i18n.js';
import { problemMessage } from '../problems.js';
import { hasNavigated } from '../router.js';
import { Notice, useText } from './forms.js';

/**
 * A page's heading and title. After each navigation the heading takes the focus, so a screen
 * reader announces the new page and the keyboard starts from it.
 */
export function Page({
  title,
  intro,
  children,
}: {
  title: string;
  intro?: string;
  children?: ComponentChildren;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} — Relais`;
  }, [title]);
  useEffect(() => {
    if (hasNavigated()) heading.current?.focus();
  }, []);
  return (
    <>
      <h1 tabIndex={-1} ref={heading}>
        {title}
      </h1>
      {intro && <p class="intro">{intro}</p>}
      {children}
    </>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p class="loading" role="status">
      {t('app.loading')}
    </p>
  );
}

/** An error while loading: what went wrong, in words, and a way to try again. */
export function LoadError({ error, retry }: { error: unknown; retry?: () => void }) {
  const { t } = useI18n();
  const text = useText();
  const message =
    error instanceof ApiError ? text(problemMessage(error.problem)) : t('problem.network');
  return (
    <Notice tone="error">
      <p>{message}</p>
      {retry && (
        <button type="button" onClick={retry}>
          {t('app.retry')}
        </button>
      )}
    </Notice>
  );
}
