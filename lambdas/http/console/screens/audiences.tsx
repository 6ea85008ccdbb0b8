import type { FC } from 'hono/jsx';
import type { AudienceEstimate } from '../../../app/audience-estimate.js';
import type { Issue } from '../../../app/refusal.js';
import type { AttributeDeclaration } from '../../../core/attributes.js';
import type { ConsoleCopy } from '../copy/index.js';
import type { Formats } from '../format.js';
import { Csrf } from '../layout.js';
import {
  ATTRIBUTE_OPS,
  type AudienceForm,
  CONDITION_KINDS,
  type ConditionForm,
  fieldOfIssue,
} from '../routes/audience-form.js';

export interface AudienceChoice {
  readonly id: string;
  readonly name: string;
}

/** What the count beside the builder shows. */
export type CountView =
  | { readonly kind: 'none' }
  | { readonly kind: 'invalid' }
  | { readonly kind: 'preparing' }
  | { readonly kind: 'estimate'; readonly estimate: AudienceEstimate };

export interface BuilderView {
  readonly copy: ConsoleCopy;
  readonly fmt: Formats;
  readonly csrf: string;
  readonly action: string;
  /** Where htmx asks for the count. */
  readonly estimateUrl: string;
  readonly form: AudienceForm;
  readonly issues: readonly Issue[];
  readonly attributes: readonly AttributeDeclaration[];
  readonly audiences: readonly AudienceChoice[];
  readonly campaigns: readonly AudienceChoice[];
  readonly count: CountView;
  readonly isNew: boolean;
}

/** Why diets are not offered: on every builder page, read or edit. */
export const DietNote: FC<{ copy: ConsoleCopy }> = ({ copy }) => (
  <aside class="notice warn" aria-labelledby="diets-heading">
    <p class="subhead" id="diets-heading">
      {copy.audiences.dietsTitle}
    </p>
    <p>{copy.audiences.diets}</p>
  </aside>
);

/** The count, inside the live region that htmx fills (its own requests poll while facts are written). */
export const AudienceCount: FC<{
  copy: ConsoleCopy;
  fmt: Formats;
  count: CountView;
  /** Where to ask again while facts are written (the builder's form); none on a read-only page. */
  estimateUrl: string | undefined;
}> = ({ copy, fmt, count, estimateUrl }) => {
  const a = copy.audiences;
  switch (count.kind) {
    case 'none':
      return null;
    case 'invalid':
      return <p>{a.notCounted}</p>;
    case 'preparing':
      return estimateUrl === undefined ? (
        <p>{a.preparing}</p>
      ) : (
        <p
          hx-post={estimateUrl}
          hx-trigger="load delay:2s"
          hx-vals='{"poll":"1"}'
          hx-include="#audience-form"
          hx-target="#audience-count"
          hx-swap="innerHTML"
        >
          {a.preparing}
        </p>
      );
    case 'estimate': {
      const e = count.estimate;
      return (
        <>
          <p class="figure">{a.counted(fmt.number(e.count), fmt.number(e.members))}</p>
          <p>{a.reachable(fmt.number(e.reachable))}</p>
          {e.margin ? <p>{a.margin(fmt.number(e.margin.count))}</p> : null}
          <p class="help">{a.asOf(fmt.dateTime(e.asOf))}</p>
        </>
      );
    }
  }
};

function problemsAt(view: BuilderView, field: string): Issue[] {
  return view.issues.filter((i) => fieldOfIssue(i.path, view.form) === field);
}

const Problems: FC<{ view: BuilderView; field: string }> = ({ view, field }) => {
  const mine = problemsAt(view, field);
  return mine.length === 0 ? null : (
    <div id={`${field}-error`}>
      {mine.map((i) => (
        <p class="field-error" lang="en">
          {i.path}: {i.message}
        </p>
      ))}
    </div>
  );
};

function described(view: BuilderView, field: string, help?: string) {
  const bad = problemsAt(view, field).length > 0;
  const ids = [help, bad ? `${field}-error` : undefined].filter(Boolean).join(' ');
  return { 'aria-describedby': ids || undefined, 'aria-invalid': bad ? 'true' : undefined };
}

const Choice: FC<{
  view: BuilderView;
  id: string;
  name: string;
  label: string;
  value: string;
  options: ReadonlyArray<readonly [string, string]>;
  blank?: string;
}> = ({ view, id, name, label, value, options, blank }) => (
  <>
    <label for={id}>{label}</label>
    <select id={id} name={name} {...described(view, id)}>
      {blank === undefined ? null : <option value="">{blank}</option>}
      {options.map(([v, text]) => (
        <option value={v} selected={v === value}>
          {text}
        </option>
      ))}
    </select>
    <Problems view={view} field={id} />
  </>
);

const Field: FC<{ view: BuilderView; id: string; name: string; label: string; value: string; type?: string }> = ({
  view,
  id,
  name,
  label,
  value,
  type,
}) => (
  <>
    <label for={id}>{label}</label>
    <input type={type ?? 'text'} id={id} name={name} value={value} {...described(view, id)} />
    <Problems view={view} field={id} />
  </>
);

/** The fields of one row for its kind (another kind's fields come with "Show its fields", or htmx). */
const ConditionFields: FC<{ view: BuilderView; i: number; c: ConditionForm }> = ({ view, i, c }) => {
  const a = view.copy.audiences;
  const id = (f: string) => `c${i}-${f}`;
  const name = (f: string) => `c${i}.${f}`;
  const days = (
    <>
      <Choice
        view={view}
        id={id('dayMode')}
        name={name('dayMode')}
        label={a.dayMode}
        value={c.dayMode}
        options={[
          ['within', a.dayModes.within],
          ['ago', a.dayModes.ago],
        ]}
      />
      <Field view={view} id={id('days')} name={name('days')} label={a.days} value={c.days} type="number" />
    </>
  );
  switch (c.kind) {
    case 'attribute':
      return (
        <>
          {view.attributes.length === 0 ? <p class="help">{a.noAttributes}</p> : null}
          <Choice
            view={view}
            id={id('attribute')}
            name={name('attribute')}
            label={a.attribute}
            value={c.attribute}
            blank={a.choose}
            options={view.attributes.map((d) => [d.name, `${d.name} (${d.type})`] as const)}
          />
          <Choice
            view={view}
            id={id('op')}
            name={name('op')}
            label={a.op}
            value={c.op}
            options={ATTRIBUTE_OPS.map((op) => [op, a.ops[op]] as const)}
          />
          <Field view={view} id={id('value')} name={name('value')} label={a.value} value={c.value} />
        </>
      );
    case 'bought':
      return (
        <>
          <Choice
            view={view}
            id={id('target')}
            name={name('target')}
            label={a.target}
            value={c.target}
            options={[
              ['category', a.targets.category],
              ['product', a.targets.product],
            ]}
          />
          <Field view={view} id={id('item')} name={name('item')} label={a.item} value={c.item} />
          <Field view={view} id={id('days')} name={name('days')} label={a.days} value={c.days} type="number" />
          <input type="hidden" name={name('dayMode')} value="within" />
          <Field view={view} id={id('times')} name={name('times')} label={a.times} value={c.times} type="number" />
        </>
      );
    case 'last-purchase':
    case 'last-click':
    case 'joined':
      return days;
    case 'engagement':
      return (
        <Choice
          view={view}
          id={id('state')}
          name={name('state')}
          label={a.state}
          value={c.state}
          options={[
            ['active', a.states.active],
            ['passive', a.states.passive],
          ]}
        />
      );
    case 'audience':
      return (
        <Choice
          view={view}
          id={id('audienceId')}
          name={name('audienceId')}
          label={a.audience}
          value={c.audienceId}
          blank={a.choose}
          options={view.audiences.map((x) => [x.id, x.name] as const)}
        />
      );
    case 'recipient-of':
      return (
        <Choice
          view={view}
          id={id('campaignId')}
          name={name('campaignId')}
          label={a.campaign}
          value={c.campaignId}
          blank={a.choose}
          options={view.campaigns.map((x) => [x.id, x.name] as const)}
        />
      );
    default:
      return null;
  }
};

export const kindName = (copy: ConsoleCopy, kind: string) => {
  const known = CONDITION_KINDS.find((k) => k === kind);
  return known ? copy.audiences.kinds[known] : kind;
};

/**
 * The builder: a plain form (every button posts it whole and gets it back, with each problem at its
 * field), and with htmx the count as conditions change and a row's fields as its kind changes.
 */
export const AudienceBuilder: FC<{ view: BuilderView }> = ({ view }) => {
  const { copy, form } = view;
  const a = copy.audiences;
  return (
    <>
      <p>{a.intro}</p>
      <DietNote copy={copy} />
      <form method="post" action={view.action} id="audience-form" novalidate>
        <Csrf token={view.csrf} />
        {/* Enter in a field saves: the first submit button is the form's default. */}
        <button type="submit" name="action" value="save" class="vh" tabindex={-1}>
          {a.saveAudience}
        </button>
        {view.issues.length > 0 ? (
          <div class="notice bad" role="alert">
            <p>{a.problems}</p>
            <ul lang="en">
              {view.issues.map((i) => {
                const field = fieldOfIssue(i.path, form);
                return (
                  <li>
                    {field === 'form' ? (
                      `${i.path}: ${i.message}`
                    ) : (
                      <a href={`#${field}`}>
                        {i.path}: {i.message}
                      </a>
                    )}
                  </li>
                );
              })}
            </ul>
          </div>
        ) : null}
        <Field view={view} id="name" name="name" label={copy.name} value={form.name} />
        <label for="description">{a.description}</label>
        <textarea id="description" name="description" rows={2} {...described(view, 'description')}>
          {form.description}
        </textarea>
        <Problems view={view} field="description" />
        <Choice
          view={view}
          id="combine"
          name="combine"
          label={a.combine}
          value={form.combine}
          options={[
            ['all', a.combineAll],
            ['any', a.combineAny],
          ]}
        />
        <h2 id="conditions-heading">{a.conditions}</h2>
        {form.conditions.map((c, i) => (
          <fieldset id={`c${i}`}>
            <legend>{a.condition(i + 1)}</legend>
            <label for={`c${i}-kind`}>{a.kind}</label>
            <select
              id={`c${i}-kind`}
              name={`c${i}.kind`}
              hx-post={view.action}
              hx-trigger="change"
              hx-vals='{"action":"refresh"}'
              hx-target="#audience-form"
              hx-select="#audience-form"
              hx-swap="outerHTML"
              {...described(view, `c${i}-kind`)}
            >
              {CONDITION_KINDS.map((k) => (
                <option value={k} selected={k === c.kind}>
                  {kindName(copy, k)}
                </option>
              ))}
            </select>
            <button type="submit" name="action" value="refresh" class="secondary">
              {a.showFields}
            </button>
            <Problems view={view} field={`c${i}-kind`} />
            <ConditionFields view={view} i={i} c={c} />
            <div>
              <label class="inline">
                <input type="checkbox" name={`c${i}.not`} checked={c.not} />
                {a.not}
              </label>
            </div>
            <div class="actions">
              <button type="submit" name="action" value={`remove-${i}`} class="secondary">
                {a.remove(i + 1)}
              </button>
            </div>
          </fieldset>
        ))}
        <Problems view={view} field="form" />
        <div class="actions">
          <button type="submit" name="action" value="add" class="secondary">
            {a.addCondition}
          </button>
          <button type="submit" name="action" value="count" class="secondary">
            {a.count}
          </button>
          <button type="submit" name="action" value="save">
            {a.saveAudience}
          </button>
        </div>
      </form>
      <section aria-labelledby="count-heading">
        <h2 id="count-heading">{a.countTitle}</h2>
        <div
          id="audience-count"
          aria-live="polite"
          hx-post={view.estimateUrl}
          hx-trigger="input delay:500ms from:#content, change delay:100ms from:#content"
          hx-include="#audience-form"
          hx-swap="innerHTML"
          hx-sync="this:replace"
        >
          <AudienceCount copy={copy} fmt={view.fmt} count={view.count} estimateUrl={view.estimateUrl} />
        </div>
      </section>
    </>
  );
};
