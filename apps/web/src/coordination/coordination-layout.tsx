import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { LoadError, Loading, Page } from '../components/page.js';
import type { Loaded } from '../components/use-load.js';
import { SectionNav } from '../components/section-nav.js';
import { ErrorSummary, SubmitButton } from '../components/forms.js';
import { useI18n } from '../i18n/i18n.js';
import { ApiError } from '../api/client.js';
import { fieldErrorsOf, problemMessage, type FieldErrors, type Message } from '../problems.js';

export type CoordinationSection = 'members' | 'bodies' | 'minutes';
const SECTIONS: readonly CoordinationSection[] = ['members', 'bodies', 'minutes'];

/** The coordination workspace: its sections as a second navigation, then the page. */
export function CoordinationLayout({
  section,
  title,
  children,
}: {
  section: CoordinationSection;
  /** A page below a section (a body, a meeting) names itself. */
  title?: string;
  children: ComponentChildren;
}) {
  const { t } = useI18n();
  return (
    <Page title={`${t('coord.title')} — ${title ?? t(`coord.${section}`)}`}>
      <SectionNav
        label={t('coord.sections')}
        sections={SECTIONS.map((s) => ({ href: `/coordination/${s}`, label: t(`coord.${s}`) }))}
      />
      {children}
    </Page>
  );
}

/**
 * A refused write, at its fields where the form has them (`servicesOffered.2` at
 * `servicesOffered`), the rest as general messages.
 */
export function refusal(
  error: unknown,
  fields: readonly string[],
): { atFields: FieldErrors; general: Message[] } {
  if (!(error instanceof ApiError)) return { atFields: {}, general: [{ key: 'problem.network' }] };
  const atFields: Record<string, Message> = {};
  const general: Message[] = [];
  for (const [path, message] of Object.entries(fieldErrorsOf(error.problem))) {
    const field = path.replace(/(\.\d+)+$/, '');
    if (fields.includes(field)) atFields[field] ??= message;
    else general.push(message);
  }
  if (Object.keys(atFields).length === 0 && general.length === 0)
    general.push(problemMessage(error.problem));
  return { atFields, general };
}

export interface Write {
  readonly errors: FieldErrors;
  readonly general: readonly Message[];
  readonly busy: boolean;
  /** The form's own findings first; none, it writes; a refusal lands at `fields`. True once written. */
  readonly run: (findings: FieldErrors, write: () => Promise<void>) => Promise<boolean>;
}

/** One write of a coordination form: busy while it goes, its errors at the fields it has. */
export function useWrite(fields: readonly string[]): Write {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<readonly Message[]>([]);
  const [busy, setBusy] = useState(false);
  const run = async (findings: FieldErrors, write: () => Promise<void>) => {
    if (busy) return false;
    setErrors(findings);
    setGeneral([]);
    if (Object.keys(findings).length > 0) return false;
    setBusy(true);
    try {
      await write();
      return true;
    } catch (error) {
      const refused = refusal(error, fields);
      setErrors(refused.atFields);
      setGeneral(refused.general);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { errors, general, busy, run };
}

/** A form of the workspace: its errors listed above it, its fields, its button. */
export function WriteForm({
  write,
  labels,
  submitLabel,
  onSubmit,
  children,
}: {
  write: Write;
  labels: Readonly<Record<string, string>>;
  submitLabel: string;
  onSubmit: () => Promise<unknown>;
  children?: ComponentChildren;
}) {
  const { t } = useI18n();
  return (
    <>
      <ErrorSummary errors={write.errors} labels={labels} general={write.general} />
      <form
        class="form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void onSubmit();
        }}
      >
        {children}
        <SubmitButton busy={write.busy} label={submitLabel} busyLabel={t('coord.working')} />
      </form>
    </>
  );
}

/** What a page loaded: an error with a retry, loading, `empty` when there is nothing, or the list. */
export function Shown<T extends readonly unknown[]>({
  loaded,
  empty,
  children,
}: {
  loaded: Loaded<T>;
  empty: string;
  children: (data: T) => ComponentChildren;
}) {
  if (loaded.error) return <LoadError error={loaded.error} retry={loaded.reload} />;
  if (!loaded.data) return <Loading />;
  return loaded.data.length === 0 ? <p>{empty}</p> : <>{children(loaded.data)}</>;
}
