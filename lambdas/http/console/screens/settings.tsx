import type { FC } from 'hono/jsx';
import type { Issue } from '../../../app/refusal.js';
import { Emotion } from '../../../core/model.js';
import type { ConsoleCopy } from '../copy/index.js';
import type { Formats } from '../format.js';
import { Csrf } from '../layout.js';
import { type ContrastCheck, type SettingsForm, WINDOW_ROWS } from '../routes/settings-form.js';

export interface ReachRow {
  readonly name: string;
  readonly before: { readonly expected: number; readonly heldBack: number };
  readonly after: { readonly expected: number; readonly heldBack: number };
}

export interface SettingsView {
  readonly copy: ConsoleCopy;
  readonly fmt: Formats;
  readonly csrf: string;
  readonly action: string;
  readonly form: SettingsForm;
  readonly issues: readonly Issue[];
  readonly contrast: readonly ContrastCheck[];
  readonly sentences: { readonly budget: string; readonly engagement: string };
  readonly preview?: {
    readonly sentences: { readonly budget: string; readonly engagement: string };
    readonly reach: readonly ReachRow[];
    readonly total: ReachRow;
    readonly fingerprint: string;
  };
}

const Swatch: FC<{ colour: string }> = ({ colour }) =>
  /^#[0-9a-fA-F]{6}$/.test(colour) ? (
    <svg class="swatch" width="22" height="22" aria-hidden="true" focusable="false">
      <rect width="22" height="22" fill={colour} />
    </svg>
  ) : null;

export const ContrastList: FC<{ copy: ConsoleCopy; checks: readonly ContrastCheck[] }> = ({ copy, checks }) => {
  const names = {
    text: `${copy.settings.text} / ${copy.settings.background}`,
    accent: `${copy.settings.primary} / ${copy.settings.background}`,
    button: `${copy.settings.primary}`,
  };
  return (
    <ul id="contrast" aria-live="polite">
      {checks.map((c) => (
        <li class={c.passes ? '' : 'flag'}>
          {copy.settings.contrast(names[c.pair], c.ratio.toFixed(1))}:{' '}
          {c.passes ? copy.settings.passes : copy.settings.fails}
        </li>
      ))}
    </ul>
  );
};

const fieldError = (issues: readonly Issue[], path: string) =>
  issues.filter((i) => i.path === path || i.path.startsWith(`${path}.`) || i.path.startsWith(`${path}[`));

const Text: FC<{
  id: string;
  label: string;
  value: string;
  type?: string;
  issues: readonly Issue[];
  path: string;
  htmx?: Record<string, string>;
}> = ({ id, label, value, type, issues, path, htmx }) => {
  const problems = fieldError(issues, path);
  return (
    <>
      <label for={id}>{label}</label>
      <input
        type={type ?? 'text'}
        id={id}
        name={id}
        value={value}
        aria-invalid={problems.length > 0 ? 'true' : undefined}
        aria-describedby={problems.length > 0 ? `${id}-error` : undefined}
        {...(htmx ?? {})}
      />
      {problems.length > 0 ? (
        <p class="field-error" id={`${id}-error`} lang="en">
          {problems.map((p) => `${p.path}: ${p.message}`).join('; ')}
        </p>
      ) : null}
    </>
  );
};

/** Club settings: brand with a live contrast check, sender, budget and engagement rules in plain sentences, and a preview before saving. */
export const SettingsPage: FC<{ view: SettingsView }> = ({ view }) => {
  const { copy, fmt, form, issues } = view;
  const f = form.fields;
  const s = copy.settings;
  const colourCheck = {
    'hx-post': `${view.action}/check`,
    'hx-trigger': 'input changed delay:400ms',
    'hx-target': '#contrast',
    'hx-swap': 'outerHTML',
    'hx-include': '#primary,#background,#text',
  };
  return (
    <form method="post" action={view.action} novalidate>
      <Csrf token={view.csrf} />
      {issues.length > 0 ? (
        <div class="notice bad" role="alert">
          <ul lang="en">
            {issues.map((i) => (
              <li>
                {i.path}: {i.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <fieldset>
        <legend>{s.brand}</legend>
        <label for="primaryEmotion">{s.primaryEmotion}</label>
        <select id="primaryEmotion" name="primaryEmotion">
          {Emotion.options.map((e) => (
            <option value={e} selected={e === f.primaryEmotion}>
              {copy.emotions[e]}
            </option>
          ))}
        </select>
        <fieldset>
          <legend>{s.secondaryEmotions}</legend>
          {Emotion.options.map((e) => (
            <label class="inline">
              <input type="checkbox" name="secondaryEmotions" value={e} checked={form.secondaryEmotions.includes(e)} />
              {copy.emotions[e]}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{s.address}</legend>
          {(['informal', 'formal'] as const).map((a) => (
            <label class="inline">
              <input type="radio" name="address" value={a} checked={f.address === a} />
              {s[a]}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{s.colours}</legend>
          {(['primary', 'background', 'text'] as const).map((k) => (
            <div>
              <Swatch colour={f[k] ?? ''} />
              <Text
                id={k}
                label={s[k]}
                value={f[k] ?? ''}
                issues={issues}
                path={`brand.colours.${k}`}
                htmx={colourCheck}
              />
            </div>
          ))}
          <ContrastList copy={copy} checks={view.contrast} />
        </fieldset>
        <Text id="logoUrl" label={s.logo} type="url" value={f.logoUrl ?? ''} issues={issues} path="brand.logoUrl" />
      </fieldset>
      <fieldset>
        <legend>{s.sender}</legend>
        <Text id="senderName" label={s.senderName} value={f.senderName ?? ''} issues={issues} path="senderName" />
        <Text
          id="senderEmail"
          label={s.senderEmail}
          type="email"
          value={f.senderEmail ?? ''}
          issues={issues}
          path="senderEmail"
        />
        <Text id="timeZone" label={s.timeZone} value={f.timeZone ?? ''} issues={issues} path="timeZone" />
      </fieldset>
      <fieldset>
        <legend>{s.budget}</legend>
        <p class="notice ok">{view.sentences.budget}</p>
        <fieldset>
          <legend>{s.windows}</legend>
          {Array.from({ length: WINDOW_ROWS }, (_, i) => (
            <div>
              <label class="inline">
                <input
                  type="number"
                  name={`windowMax${i}`}
                  min={0}
                  max={100}
                  value={f[`windowMax${i}`] ?? ''}
                  aria-label={`${s.windows} ${i + 1}: ${s.mailsPer}`}
                />
                {s.mailsPer}
              </label>
              <label class="inline">
                <input
                  type="number"
                  name={`windowDays${i}`}
                  min={1}
                  max={365}
                  value={f[`windowDays${i}`] ?? ''}
                  aria-label={`${s.windows} ${i + 1}: ${s.days}`}
                />
                {s.days}
              </label>
            </div>
          ))}
        </fieldset>
        <Text
          id="minGapHours"
          label={s.minGap}
          type="number"
          value={f.minGapHours ?? ''}
          issues={issues}
          path="budget.minGapHours"
        />
        <Text
          id="quietStart"
          label={s.quietFrom}
          type="time"
          value={f.quietStart ?? ''}
          issues={issues}
          path="budget.quietHours.start"
        />
        <Text
          id="quietEnd"
          label={s.quietUntil}
          type="time"
          value={f.quietEnd ?? ''}
          issues={issues}
          path="budget.quietHours.end"
        />
        <Text
          id="surveysPerYear"
          label={s.surveys}
          type="number"
          value={f.surveysPerYear ?? ''}
          issues={issues}
          path="budget.surveysPerYear"
        />
        <Text
          id="planningHorizonDays"
          label={s.horizon}
          type="number"
          value={f.planningHorizonDays ?? ''}
          issues={issues}
          path="budget.planningHorizonDays"
        />
      </fieldset>
      <fieldset>
        <legend>{s.engagement}</legend>
        <p class="notice ok">{view.sentences.engagement}</p>
        <Text
          id="passiveAfter"
          label={s.passiveAfter}
          type="number"
          value={f.passiveAfter ?? ''}
          issues={issues}
          path="engagement.passiveAfterUnengagedMails"
        />
        <fieldset>
          <legend>{s.passiveMax}</legend>
          <label class="inline">
            <input
              type="number"
              name="passiveMax"
              min={0}
              max={100}
              value={f.passiveMax ?? ''}
              aria-label={`${s.passiveMax}: ${s.mailsPer}`}
            />
            {s.mailsPer}
          </label>
          <label class="inline">
            <input
              type="number"
              name="passiveDays"
              min={1}
              max={365}
              value={f.passiveDays ?? ''}
              aria-label={`${s.passiveMax}: ${s.days}`}
            />
            {s.days}
          </label>
        </fieldset>
        <Text
          id="passiveFloorBoost"
          label={s.floorBoost}
          value={f.passiveFloorBoost ?? ''}
          issues={issues}
          path="engagement.passiveFloorBoost"
        />
        <Text
          id="habitFloor"
          label={s.habitFloor}
          value={f.habitFloor ?? ''}
          issues={issues}
          path="engagement.habitRelevanceFloor"
        />
      </fieldset>
      <fieldset>
        <legend>{s.approval}</legend>
        <label class="inline">
          <input type="checkbox" name="requireApproval" checked={f.requireApproval === 'on'} />
          {s.requireApproval}
        </label>
      </fieldset>
      <div class="actions">
        <button type="submit" name="action" value="preview">
          {s.previewChange}
        </button>
      </div>
      {view.preview ? (
        <section aria-labelledby="preview-heading" class="notice warn">
          <h2 id="preview-heading">{s.previewTitle}</h2>
          <p>
            <strong>{s.budgetAfter}:</strong> {view.preview.sentences.budget}
          </p>
          <p>{view.preview.sentences.engagement}</p>
          {view.preview.reach.length === 0 ? <p>{s.noScheduled}</p> : null}
          <table>
            <thead>
              <tr>
                <th scope="col">{s.campaign}</th>
                <th scope="col">{s.before}</th>
                <th scope="col">{s.after}</th>
              </tr>
            </thead>
            <tbody>
              {[...view.preview.reach, view.preview.total].map((row) => (
                <tr>
                  <th scope="row">{row.name}</th>
                  <td>{s.weekReach(fmt.number(row.before.expected), fmt.number(row.before.heldBack))}</td>
                  <td>{s.weekReach(fmt.number(row.after.expected), fmt.number(row.after.heldBack))}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <input type="hidden" name="previewed" value={view.preview.fingerprint} />
          <button type="submit" name="action" value="save">
            {s.confirm}
          </button>
        </section>
      ) : null}
    </form>
  );
};
