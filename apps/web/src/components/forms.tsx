import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { MAX_LENGTH } from '@relais/wire';
import { useI18n } from '../i18n/i18n.js';
import type { FieldErrors, Message } from '../problems.js';

/** Translates a message made earlier (validation, a problem) in the language shown now. */
export function useText(): (message: Message) => string {
  const { t } = useI18n();
  return (message) => ('text' in message ? message.text : t(message.key, message.params));
}

/** A field's element id from its API path: `familyMembers.0.niss` -> `field-familyMembers-0-niss`. */
export function fieldId(name: string): string {
  return `field-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

interface FieldFrame {
  readonly name: string;
  readonly label: string;
  readonly error?: Message | undefined;
  readonly hint?: string | undefined;
  /** Says "(optional)" after the label; required fields say nothing but `aria-required`. */
  readonly optional?: boolean;
  /** A control that filters a page rather than a field of a form: neither optional nor required. */
  readonly filter?: boolean;
}

/** The label, hint and error of a field, bound to it by id, `aria-describedby` and `aria-invalid`. */
function useFieldFrame({ name, error, hint }: FieldFrame) {
  const id = fieldId(name);
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return {
    id,
    hintId,
    errorId,
    aria: {
      'aria-describedby': describedBy,
      'aria-invalid': error ? ('true' as const) : undefined,
    },
  };
}

function Label({
  htmlFor,
  label,
  optional,
}: {
  htmlFor: string;
  label: string;
  optional?: boolean;
}) {
  const { t } = useI18n();
  return (
    <label for={htmlFor}>
      {label}
      {optional && <span class="optional"> ({t('app.optional')})</span>}
    </label>
  );
}

function HintAndError({
  hintId,
  hint,
  errorId,
  error,
}: {
  hintId?: string | undefined;
  hint?: string | undefined;
  errorId?: string | undefined;
  error?: Message | undefined;
}) {
  const text = useText();
  return (
    <>
      {hint && (
        <p class="hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={errorId}>
          {text(error)}
        </p>
      )}
    </>
  );
}

/** A line of text; `maxLength` is the API's for the field (`MAX_LENGTH` of `@relais/wire`). */
export function TextField(
  props: FieldFrame & {
    readonly value: string;
    readonly onInput: (value: string) => void;
    readonly maxLength: number;
    readonly type?: 'text' | 'email' | 'password' | 'url' | 'tel';
    readonly autoComplete?: string;
    readonly inputMode?: 'text' | 'numeric' | 'email' | 'url' | 'tel';
    readonly placeholder?: string;
  },
) {
  const frame = useFieldFrame(props);
  return (
    <div class={`field${props.error ? ' has-error' : ''}`}>
      <Label htmlFor={frame.id} label={props.label} optional={props.optional} />
      <HintAndError {...frame} hint={props.hint} error={props.error} />
      <input
        id={frame.id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value}
        autoComplete={props.autoComplete ?? 'off'}
        inputMode={props.inputMode}
        placeholder={props.placeholder}
        maxLength={props.maxLength}
        aria-required={props.optional || props.filter ? undefined : 'true'}
        {...frame.aria}
        onInput={(event) => props.onInput(event.currentTarget.value)}
      />
    </div>
  );
}

/** Several lines of text: minutes, a list typed one item per line. */
export function TextAreaField(
  props: FieldFrame & {
    readonly value: string;
    readonly onInput: (value: string) => void;
    readonly maxLength: number;
    readonly rows?: number;
  },
) {
  const frame = useFieldFrame(props);
  return (
    <div class={`field${props.error ? ' has-error' : ''}`}>
      <Label htmlFor={frame.id} label={props.label} optional={props.optional} />
      <HintAndError {...frame} hint={props.hint} error={props.error} />
      <textarea
        id={frame.id}
        name={props.name}
        rows={props.rows ?? 4}
        value={props.value}
        maxLength={props.maxLength}
        aria-required={props.optional || props.filter ? undefined : 'true'}
        {...frame.aria}
        onInput={(event) => props.onInput(event.currentTarget.value)}
      />
    </div>
  );
}

/** A date typed as people write it in Belgium, `dd/mm/yyyy`; the form turns it into ISO. */
export function DateField(
  props: FieldFrame & { readonly value: string; readonly onInput: (value: string) => void },
) {
  const { t } = useI18n();
  return (
    <TextField
      {...props}
      hint={props.hint ?? t('event.dateHint')}
      inputMode="numeric"
      placeholder={t('app.datePlaceholder')}
      maxLength={MAX_LENGTH.date}
    />
  );
}

export interface Option {
  readonly value: string;
  readonly label: string;
}

export function SelectField(
  props: FieldFrame & {
    readonly value: string;
    readonly onChange: (value: string) => void;
    readonly options: readonly Option[];
    /** An empty first choice, for fields without a default. */
    readonly placeholder?: boolean;
    readonly placeholderLabel?: string;
  },
) {
  const { t } = useI18n();
  const frame = useFieldFrame(props);
  return (
    <div class={`field${props.error ? ' has-error' : ''}`}>
      <Label htmlFor={frame.id} label={props.label} optional={props.optional} />
      <HintAndError {...frame} hint={props.hint} error={props.error} />
      <select
        id={frame.id}
        name={props.name}
        aria-required={props.optional || props.filter ? undefined : 'true'}
        {...frame.aria}
        onChange={(event) => props.onChange(event.currentTarget.value)}
      >
        {props.placeholder && (
          <option value="" selected={props.value === ''}>
            {props.placeholderLabel ?? t('field.choose')}
          </option>
        )}
        {props.options.map((option) => (
          <option key={option.value} value={option.value} selected={option.value === props.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Several choices among a short list: a group of checkboxes under a legend. */
export function CheckboxGroup(
  props: FieldFrame & {
    readonly values: readonly string[];
    readonly onChange: (values: string[]) => void;
    readonly options: readonly Option[];
    readonly emptyText?: string;
  },
) {
  const frame = useFieldFrame(props);
  const { t } = useI18n();
  const toggle = (value: string, checked: boolean) =>
    props.onChange(checked ? [...props.values, value] : props.values.filter((v) => v !== value));
  return (
    <fieldset
      class={`field checkboxes${props.error ? ' has-error' : ''}`}
      id={frame.id}
      tabIndex={-1}
      aria-describedby={frame.aria['aria-describedby']}
    >
      <legend>
        {props.label}
        {props.optional && <span class="optional"> ({t('app.optional')})</span>}
      </legend>
      <HintAndError {...frame} hint={props.hint} error={props.error} />
      {props.options.length === 0 && props.emptyText && <p class="hint">{props.emptyText}</p>}
      {props.options.map((option) => {
        const id = `${frame.id}-${option.value.replace(/[^A-Za-z0-9_-]/g, '-')}`;
        return (
          <div class="checkbox" key={option.value}>
            <input
              type="checkbox"
              id={id}
              name={props.name}
              value={option.value}
              checked={props.values.includes(option.value)}
              onChange={(event) => toggle(option.value, event.currentTarget.checked)}
            />
            <label for={id}>{option.label}</label>
          </div>
        );
      })}
    </fieldset>
  );
}

/** Several choices among a long list (organisations): a multiple select. */
export function MultiSelectField(
  props: FieldFrame & {
    readonly values: readonly string[];
    readonly onChange: (values: string[]) => void;
    readonly options: readonly Option[];
  },
) {
  const frame = useFieldFrame(props);
  return (
    <div class={`field${props.error ? ' has-error' : ''}`}>
      <Label htmlFor={frame.id} label={props.label} optional={props.optional} />
      <HintAndError {...frame} hint={props.hint} error={props.error} />
      <select
        id={frame.id}
        name={props.name}
        multiple
        size={6}
        aria-required={props.optional || props.filter ? undefined : 'true'}
        {...frame.aria}
        onChange={(event) =>
          props.onChange(Array.from(event.currentTarget.selectedOptions, (o) => o.value))
        }
      >
        {props.options.map((option) => (
          <option
            key={option.value}
            value={option.value}
            selected={props.values.includes(option.value)}
          >
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * The errors of a submitted form, listed above it with links to each field; it takes the focus
 * so a screen reader announces it, and a keyboard user goes to a field from it.
 */
export function ErrorSummary({
  errors,
  labels,
  general = [],
}: {
  errors: FieldErrors;
  labels: Readonly<Record<string, string>>;
  general?: readonly Message[];
}) {
  const { t, count } = useI18n();
  const text = useText();
  const ref = useRef<HTMLDivElement>(null);
  const entries = Object.entries(errors);
  const errorCount = entries.length + general.length;
  const signature = JSON.stringify([errors, general]);
  useEffect(() => {
    if (errorCount > 0) ref.current?.focus();
  }, [signature, errorCount]);
  if (errorCount === 0) return null;
  return (
    <div class="error-summary" role="alert" tabIndex={-1} ref={ref}>
      <p>
        <strong>{count('validation.summary', errorCount)}</strong>
      </p>
      <ul>
        {general.map((message, i) => (
          <li key={`general-${i}`}>{text(message)}</li>
        ))}
        {entries.map(([field, message]) => (
          <li key={field}>
            <a
              href={`#${fieldId(field)}`}
              onClick={(event) => {
                event.preventDefault();
                document.getElementById(fieldId(field))?.focus();
              }}
            >
              {t('app.labelled', { label: labels[field] ?? field, value: text(message) })}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export type Tone = 'info' | 'success' | 'warning' | 'error';

/** A message in the page: errors interrupt (`alert`), the rest waits its turn (`status`). */
export function Notice({
  tone,
  children,
  focus = false,
}: {
  tone: Tone;
  children: ComponentChildren;
  focus?: boolean;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focus) ref.current?.focus();
  }, [focus]);
  return (
    <div
      class={`notice notice-${tone}`}
      role={tone === 'error' ? 'alert' : 'status'}
      tabIndex={focus ? -1 : undefined}
      ref={ref}
    >
      {children}
    </div>
  );
}

export function SubmitButton({
  busy,
  label,
  busyLabel,
  ...rest
}: { busy: boolean; label: string; busyLabel: string } & JSX.HTMLAttributes<HTMLButtonElement>) {
  return (
    <button type="submit" class="primary" aria-disabled={busy ? 'true' : undefined} {...rest}>
      {busy ? busyLabel : label}
    </button>
  );
}
