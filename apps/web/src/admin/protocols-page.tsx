import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client.js';
import { forgetReference, readUntil, reference } from '../api/reference.js';
import { BODY_LIMITS, type ProtocolView } from '@relais/wire';
import { fieldId, Notice, SubmitButton, useText } from '../components/forms.js';
import { LoadError, Loading } from '../components/page.js';
import { useLoad } from '../components/use-load.js';
import { useI18n } from '../i18n/i18n.js';
import { fieldErrorsOf, problemMessage, type Message } from '../problems.js';
import { useMe } from '../session.js';
import { may } from '../workspaces.js';
import { AdminLayout } from './admin-layout.js';
import { organisationName, namesOf } from '../cases/describe.js';

/** Protocols and their versions; coordinators upload a version, each signatory signs it. */
export function ProtocolsPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const text = useText();
  const me = useMe();
  const [version, setVersion] = useState(0);
  const [outcome, setOutcome] = useState<
    { tone: 'success' | 'error'; message: Message } | undefined
  >();
  const loaded = useLoad(async () => {
    const [protocols, organisations] = await Promise.all([
      api<ProtocolView[]>('GET', '/protocols'),
      reference.organisations(),
    ]);
    return { protocols, names: namesOf(organisations, [], []) };
  }, [version]);
  /** After a change, the list once it shows it (the read model follows the write closely). */
  const changed = async (
    message: Message,
    shows: (protocols: readonly ProtocolView[]) => boolean,
  ) => {
    forgetReference('/protocols');
    await readUntil(() => api<ProtocolView[]>('GET', '/protocols'), shows);
    setOutcome({ tone: 'success', message });
    setVersion((v) => v + 1);
  };

  const sign = async (protocol: ProtocolView, number: number) => {
    setOutcome(undefined);
    try {
      const answer = await api<{ adopted: boolean }>(
        'POST',
        `/protocols/${encodeURIComponent(protocol.id)}/versions/${number}/signatures`,
      );
      await changed({ key: answer.adopted ? 'admin.adopted' : 'admin.signed' }, (protocols) =>
        protocols.some(
          (p) =>
            p.id === protocol.id &&
            p.versions.some((v) => v.version === number && v.signedBy.includes(me.organisationId)),
        ),
      );
    } catch (error) {
      setOutcome({
        tone: 'error',
        message:
          error instanceof ApiError ? problemMessage(error.problem) : { key: 'problem.network' },
      });
    }
  };

  return (
    <AdminLayout section="protocols">
      {outcome && (
        <Notice tone={outcome.tone} focus>
          {text(outcome.message)}
        </Notice>
      )}
      {may.uploadProtocol(me.roles) && <UploadProtocol onUploaded={changed} />}
      {loaded.error ? (
        <LoadError error={loaded.error} retry={loaded.reload} />
      ) : !loaded.data ? (
        <Loading />
      ) : (
        loaded.data.protocols.map((protocol) => (
          <section key={protocol.id} class="protocol" aria-labelledby={`protocol-${protocol.id}`}>
            <h2 id={`protocol-${protocol.id}`}>
              {protocol.title} <code>{protocol.id}</code>
            </h2>
            <h3>{t('admin.protocolVersions')}</h3>
            <ul class="plain versions">
              {protocol.versions.map((v) => {
                const waiting = v.signatories.filter((s) => !v.signedBy.includes(s));
                const canSign =
                  v.status === 'draft' &&
                  may.signProtocol(me.roles) &&
                  v.signatories.includes(me.organisationId) &&
                  !v.signedBy.includes(me.organisationId);
                return (
                  <li key={v.version}>
                    <strong>{t('admin.version', { version: v.version })}</strong>{' '}
                    <span class={`badge badge-${v.status}`}>
                      {t(`admin.versionStatus.${v.status}`)}
                    </span>{' '}
                    {t('admin.effectiveFrom', { date: i18n.date(v.effectiveFrom) })}
                    <br />
                    {t('admin.signatures', {
                      signed: v.signedBy.length,
                      total: v.signatories.length,
                    })}
                    {waiting.length > 0 && (
                      <>
                        {' · '}
                        {t('admin.waitingFor', {
                          organisations: i18n.list(
                            waiting.map((o) => organisationName(loaded.data!.names, o)),
                          ),
                        })}
                      </>
                    )}
                    {canSign && (
                      <p>
                        <button
                          type="button"
                          class="primary"
                          onClick={() => void sign(protocol, v.version)}
                        >
                          {t('admin.sign', {
                            version: v.version,
                            organisation: me.organisation?.name ?? me.organisationId,
                          })}
                        </button>
                      </p>
                    )}
                  </li>
                );
              })}
            </ul>
          </section>
        ))
      )}
    </AdminLayout>
  );
}

function contentTypeOf(file: File): string {
  return /\.json$/i.test(file.name) || file.type === 'application/json'
    ? 'application/json'
    : 'application/yaml';
}

function UploadProtocol({
  onUploaded,
}: {
  onUploaded: (
    message: Message,
    shows: (protocols: readonly ProtocolView[]) => boolean,
  ) => Promise<void>;
}) {
  const { t } = useI18n();
  const text = useText();
  const [file, setFile] = useState<File | undefined>();
  const [problems, setProblems] = useState<readonly string[]>([]);
  const [error, setError] = useState<Message | undefined>();
  const [busy, setBusy] = useState(false);
  const id = fieldId('protocolFile');
  const errorId = `${id}-error`;

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setProblems([]);
    setError(undefined);
    if (!file || file.size > BODY_LIMITS.documentBytes) {
      setError(
        file
          ? { key: 'admin.fileTooLarge', params: { n: BODY_LIMITS.documentBytes / 1024 / 1024 } }
          : { key: 'admin.fileRequired' },
      );
      document.getElementById(id)?.focus();
      return;
    }
    setBusy(true);
    try {
      const drafted = await api<{ id: string; version: number; signatories: readonly string[] }>(
        'POST',
        '/protocols',
        { raw: await file.text(), contentType: contentTypeOf(file) },
      );
      (event.target as HTMLFormElement).reset();
      setFile(undefined);
      await onUploaded(
        {
          key: 'admin.uploaded',
          params: { id: drafted.id, version: drafted.version, n: drafted.signatories.length },
        },
        (protocols) =>
          protocols.some(
            (p) => p.id === drafted.id && p.versions.some((v) => v.version === drafted.version),
          ),
      );
    } catch (failure) {
      if (failure instanceof ApiError && failure.problem.errors?.length) {
        const words = fieldErrorsOf(failure.problem);
        setProblems(
          Object.entries(words).map(([field, message]) => {
            const line = failure.problem.errors?.find((e) => e.field === field)?.params?.line;
            const value =
              line === undefined
                ? text(message)
                : t('admin.atLine', { message: text(message), line });
            return field ? t('app.labelled', { label: field, value }) : value;
          }),
        );
        setError({ key: 'admin.fileProblems' });
      } else {
        setError(
          failure instanceof ApiError
            ? problemMessage(failure.problem)
            : { key: 'problem.network' },
        );
      }
      document.getElementById(id)?.focus();
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="upload-protocol">
      <h2 id="upload-protocol">{t('admin.uploadProtocol')}</h2>
      <form class="form" noValidate onSubmit={(event) => void submit(event)}>
        <div class={`field${error ? ' has-error' : ''}`}>
          <label for={id}>{t('admin.protocolFile')}</label>
          {error && (
            <div class="field-error" id={errorId}>
              <p>{text(error)}</p>
              {problems.length > 0 && (
                <ul>
                  {problems.map((p) => (
                    <li key={p}>{p}</li>
                  ))}
                </ul>
              )}
            </div>
          )}
          <input
            type="file"
            id={id}
            name="protocolFile"
            accept=".yaml,.yml,.json,application/json,application/yaml,text/yaml"
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={error ? errorId : undefined}
            onChange={(e) => setFile(e.currentTarget.files?.[0])}
          />
        </div>
        <SubmitButton busy={busy} label={t('admin.upload')} busyLabel={t('event.submitting')} />
      </form>
    </section>
  );
}
