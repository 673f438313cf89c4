import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError, download } from '../api/client.js';
import type { MessageKey } from '../i18n/fr.js';
import { useI18n } from '../i18n/i18n.js';
import { problemMessage, type Message } from '../problems.js';
import { Notice, useText } from './forms.js';

/** A file the API makes, offered by a button. */
export interface DownloadChoice {
  readonly id: string;
  readonly label: string;
  /** Under `/api/v1`. */
  readonly path: string;
  readonly fallbackName: string;
}

/**
 * A toolbar of download buttons (after `children`, the choices that shape the files), each busy
 * while its file comes, then saying which file came (`done`, with `{file}`) or what went wrong.
 */
export function Downloads({
  choices,
  done,
  children,
}: {
  choices: readonly DownloadChoice[];
  done: MessageKey;
  children?: ComponentChildren;
}) {
  const { t } = useI18n();
  const text = useText();
  const [busy, setBusy] = useState<string | undefined>();
  const [outcome, setOutcome] = useState<
    { tone: 'success' | 'error'; message: Message } | undefined
  >();
  const fetchFile = async (choice: DownloadChoice) => {
    setBusy(choice.id);
    setOutcome(undefined);
    try {
      const file = await download(choice.path, choice.fallbackName);
      setOutcome({ tone: 'success', message: { key: done, params: { file } } });
    } catch (error) {
      setOutcome({
        tone: 'error',
        message:
          error instanceof ApiError ? problemMessage(error.problem) : { key: 'problem.network' },
      });
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <>
      <div class="toolbar">
        {children}
        {choices.map((choice) => (
          <button
            key={choice.id}
            type="button"
            onClick={() => void fetchFile(choice)}
            aria-disabled={busy ? 'true' : undefined}
          >
            {busy === choice.id ? t('dashboard.downloading') : choice.label}
          </button>
        ))}
      </div>
      {outcome && <Notice tone={outcome.tone}>{text(outcome.message)}</Notice>}
    </>
  );
}
