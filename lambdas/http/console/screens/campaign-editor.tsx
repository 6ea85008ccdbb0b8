import type { FC } from 'hono/jsx';
import type { Issue } from '../../../app/refusal.js';
import type { BrandFit } from '../../../core/brand-fit.js';
import { Emotion } from '../../../core/model.js';
import { Occasion } from '../../../core/occasions.js';
import type { ConsoleCopy } from '../copy/index.js';
import { Csrf } from '../layout.js';
import { type CampaignForm, fieldOf } from '../routes/campaign-form.js';
import { KindFields, type TopicChoice } from './campaign-kind-fields.js';
import { described, Problems } from './form-fields.js';

/** An offer as the pool lists it. */
export interface OfferChoice {
  readonly offerId: string;
  readonly label: string;
}

export interface EditorView {
  readonly copy: ConsoleCopy;
  readonly csrf: string;
  readonly action: string;
  /** Where htmx asks for brand fit, offer search and template checks. */
  readonly base: string;
  readonly form: CampaignForm;
  readonly issues: readonly Issue[];
  readonly fit: BrandFit & { readonly text: string };
  readonly chosen: readonly OfferChoice[];
  readonly found: readonly OfferChoice[] | undefined;
  readonly occasionDates: Readonly<Record<string, string>>;
  readonly templateProblems: readonly Issue[] | undefined;
  readonly timeZone: string;
  readonly isNew: boolean;
  /** The club's saved audiences, for the picker (none chosen: everyone). */
  readonly audiences: ReadonlyArray<{ readonly id: string; readonly name: string }>;
  /** The club's comment topics, for a note's topic. */
  readonly topics: readonly TopicChoice[];
}

export const BrandFitNote: FC<{ fit: EditorView['fit'] }> = ({ fit }) => (
  <p
    id="brand-fit"
    class={`notice ${fit.verdict === 'fits' ? 'ok' : fit.verdict === 'stretch' ? 'warn' : 'bad'}`}
    aria-live="polite"
  >
    {fit.text}
  </p>
);

export const OfferPicker: FC<{ view: Pick<EditorView, 'copy' | 'chosen' | 'found' | 'form' | 'base'> }> = ({
  view,
}) => {
  const { copy, chosen, found } = view;
  return (
    <div id="offer-picker">
      <p class="subhead" id="chosen-heading">
        {copy.editor.chosen}
      </p>
      {chosen.length === 0 ? <p class="help">{copy.editor.noneChosen}</p> : null}
      <ul class="offer-list" aria-labelledby="chosen-heading">
        {chosen.map((o) => (
          <li>
            <label class="inline">
              <input type="checkbox" name="offerPool" value={o.offerId} checked />
              {o.label}
            </label>
          </li>
        ))}
      </ul>
      {found === undefined ? null : (
        <>
          <p class="subhead" id="found-heading">
            {copy.editor.found}
          </p>
          {found.length === 0 ? <p class="help">{copy.editor.noneFound}</p> : null}
          <ul class="offer-list" aria-labelledby="found-heading">
            {found.map((o) => (
              <li>
                <label class="inline">
                  <input type="checkbox" name="offerPool" value={o.offerId} />
                  {o.label}
                </label>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
};

export const TemplateCheck: FC<{ copy: ConsoleCopy; problems: readonly Issue[] | undefined }> = ({ copy, problems }) =>
  problems === undefined ? (
    <div id="template-check" aria-live="polite" />
  ) : problems.length === 0 ? (
    <div id="template-check" aria-live="polite">
      <p class="notice ok">{copy.editor.templateOk}</p>
    </div>
  ) : (
    <div id="template-check" aria-live="polite" class="notice bad">
      <p>{copy.editor.templateProblems}</p>
      <ul lang="en">
        {problems.map((p) => (
          <li>
            {p.path}: {p.message}
          </li>
        ))}
      </ul>
    </div>
  );

/**
 * The campaign editor: a plain form that works without JavaScript (its search and check buttons post
 * the whole form and get it back filled in), with htmx asking for brand fit, offers and template
 * problems as the marketer types.
 */
export const CampaignEditor: FC<{ view: EditorView }> = ({ view }) => {
  const { copy, form, issues, base } = view;
  return (
    <form method="post" action={view.action} novalidate>
      <Csrf token={view.csrf} />
      {/* Enter in a field saves (the first submit button is the form's default), not the offer search. */}
      <button type="submit" name="action" value="save" class="vh" tabindex={-1}>
        {view.isNew ? copy.editor.create : copy.editor.saveChanges}
      </button>
      {issues.length > 0 ? (
        <div class="notice bad" role="alert">
          <p>{copy.editor.problems}</p>
          <ul lang="en">
            {issues.map((i) => (
              <li>
                <a href={`#${fieldOf(i.path)}`}>
                  {i.path}: {i.message}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <label for="name">{copy.name}</label>
      <input
        type="text"
        id="name"
        name="name"
        value={form.name}
        required
        maxlength={120}
        {...described(issues, 'name')}
      />
      <Problems issues={issues} field="name" />

      <label for="theme">{copy.theme}</label>
      <p class="help" id="theme-help">
        {copy.editor.themeHelp}
      </p>
      <select
        id="theme"
        name="theme"
        hx-get={`${base}/brand-fit`}
        hx-trigger="change"
        hx-target="#brand-fit"
        hx-swap="outerHTML"
        {...described(issues, 'theme', 'theme-help')}
      >
        {Emotion.options.map((e) => (
          <option value={e} selected={e === form.theme}>
            {copy.emotions[e]}
          </option>
        ))}
      </select>
      <BrandFitNote fit={view.fit} />
      {view.fit.verdict === 'clash' ? (
        <label class="inline">
          <input type="checkbox" name="brandFitOverride" checked={form.brandFitOverride} />
          {copy.editor.brandFitOverride}
        </label>
      ) : null}

      <fieldset>
        <legend>{copy.editor.occasion}</legend>
        <label for="occasion">{copy.editor.occasion}</label>
        <select id="occasion" name="occasion" {...described(issues, 'occasion')}>
          <option value="">{copy.none}</option>
          {Occasion.options.map((o) => (
            <option value={o} selected={o === form.occasion}>
              {view.occasionDates[o] ? `${copy.occasions[o]} (${view.occasionDates[o]})` : copy.occasions[o]}
            </option>
          ))}
        </select>
        <p class="help">{copy.editor.personalOccasion}</p>
        <label for="funFact">{copy.editor.funFact}</label>
        <p class="help" id="funFact-help">
          {copy.editor.funFactHelp}
        </p>
        <textarea id="funFact" name="funFact" maxlength={280} {...described(issues, 'funFact', 'funFact-help')}>
          {form.funFact}
        </textarea>
        <Problems issues={issues} field="funFact" />
      </fieldset>

      <fieldset id="offerPool" aria-describedby="offers-help">
        <legend>{copy.editor.offers}</legend>
        <p class="help" id="offers-help">
          {copy.editor.offersHelp}
        </p>
        <Problems issues={issues} field="offerPool" />
        <label for="offerQuery">{copy.editor.findOffers}</label>
        <p class="help" id="offerQuery-help">
          {copy.editor.findHelp}
        </p>
        <input
          type="search"
          id="offerQuery"
          name="offerQuery"
          value={form.offerQuery}
          aria-describedby="offerQuery-help"
          hx-get={`${base}/offers`}
          hx-trigger="input changed delay:300ms, search"
          hx-target="#offer-picker"
          hx-swap="outerHTML"
          hx-include="#offerPool"
        />
        <button type="submit" name="action" value="search-offers" class="secondary">
          {copy.search}
        </button>
        <OfferPicker view={view} />
      </fieldset>

      <label for="audienceId">{copy.audiences.campaignAudience}</label>
      <p class="help" id="audienceId-help">
        {copy.audiences.campaignAudienceHelp}
      </p>
      <select id="audienceId" name="audienceId" {...described(issues, 'audienceId', 'audienceId-help')}>
        <option value="">{copy.audiences.everyone}</option>
        {view.audiences.map((a) => (
          <option value={a.id} selected={a.id === form.audienceId}>
            {a.name}
          </option>
        ))}
      </select>
      <Problems issues={issues} field="audienceId" />

      <label for="offersPerMail">{copy.editor.offersPerMail}</label>
      <input
        type="number"
        id="offersPerMail"
        name="offersPerMail"
        min={1}
        max={10}
        value={form.offersPerMail}
        {...described(issues, 'offersPerMail')}
      />
      <Problems issues={issues} field="offersPerMail" />

      <fieldset>
        <legend>{copy.editor.priority}</legend>
        {(['1', '2', '3'] as const).map((p) => (
          <label class="inline">
            <input type="radio" name="priority" value={p} checked={form.priority === p} />
            {copy.priorities[p]}
          </label>
        ))}
      </fieldset>

      <label for="holdout">{copy.editor.holdout}</label>
      <p class="help" id="holdout-help">
        {copy.editor.holdoutHelp}
      </p>
      <input
        type="number"
        id="holdout"
        name="holdout"
        min={0}
        max={50}
        step="0.1"
        value={form.holdout}
        {...described(issues, 'holdout', 'holdout-help')}
      />
      <Problems issues={issues} field="holdout" />

      <fieldset>
        <legend>{copy.editor.kind}</legend>
        {(['offers', 'survey', 'note'] as const).map((k) => (
          <label class="inline">
            <input type="radio" name="kind" value={k} checked={form.kind === k} />
            {copy.kinds[k]}
          </label>
        ))}
      </fieldset>
      <KindFields copy={copy} form={form} issues={issues} topics={view.topics} />

      <label for="sendAt">{copy.editor.sendAt}</label>
      <p class="help" id="sendAt-help">
        {copy.editor.sendAtHelp(view.timeZone)}
      </p>
      <input
        type="datetime-local"
        id="sendAt"
        name="sendAt"
        value={form.sendAt}
        required
        {...described(issues, 'sendAt', 'sendAt-help')}
      />
      <Problems issues={issues} field="sendAt" />

      <fieldset>
        <legend>{copy.editor.template}</legend>
        <p class="help" id="template-help">
          {copy.editor.templateHelp}
        </p>
        {(['subject', 'html', 'text'] as const).map((part) => (
          <>
            <label for={part}>{copy.editor[part]}</label>
            {part === 'subject' ? (
              <input
                type="text"
                id={part}
                name={part}
                value={form.subject}
                hx-post={`${base}/template-check`}
                hx-trigger="input changed delay:600ms"
                hx-target="#template-check"
                hx-swap="outerHTML"
                hx-include="#subject,#html,#text"
                {...described(issues, part, 'template-help')}
              />
            ) : (
              <textarea
                id={part}
                name={part}
                rows={8}
                hx-post={`${base}/template-check`}
                hx-trigger="input changed delay:600ms"
                hx-target="#template-check"
                hx-swap="outerHTML"
                hx-include="#subject,#html,#text"
                {...described(issues, part, 'template-help')}
              >
                {form[part]}
              </textarea>
            )}
            <Problems issues={issues} field={part} />
          </>
        ))}
        <button type="submit" name="action" value="check-template" class="secondary">
          {copy.editor.checkTemplate}
        </button>
        <TemplateCheck copy={copy} problems={view.templateProblems} />
      </fieldset>

      <div class="actions">
        <button type="submit" name="action" value="save">
          {view.isNew ? copy.editor.create : copy.editor.saveChanges}
        </button>
      </div>
    </form>
  );
};
