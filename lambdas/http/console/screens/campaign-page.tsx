import type { FC } from 'hono/jsx';
import type { ApprovalState, Campaign } from '../../../core/model.js';
import type { ConsoleCopy } from '../copy/index.js';
import type { Formats } from '../format.js';
import { Csrf } from '../layout.js';

export interface CampaignRow {
  readonly campaign: Campaign;
  readonly approval: ApprovalState;
  readonly href: string;
}

export const StatusBadge: FC<{ copy: ConsoleCopy; campaign: Campaign }> = ({ copy, campaign }) => (
  <span class={`badge ${campaign.status}`}>{copy.statuses[campaign.status]}</span>
);

/** Links to the next page of the list (older) and back to its first (newest), where there is one. */
export interface ListPages {
  readonly older?: string;
  readonly newest?: string;
}

export const CampaignList: FC<{
  copy: ConsoleCopy;
  fmt: Formats;
  rows: readonly CampaignRow[];
  newHref?: string;
  pages?: ListPages;
}> = ({ copy, fmt, rows, newHref, pages }) => (
  <>
    {newHref ? (
      <p>
        <a class="button" href={newHref}>
          {copy.newCampaign}
        </a>
      </p>
    ) : null}
    {rows.length === 0 ? (
      <p>{copy.noCampaigns}</p>
    ) : (
      <table>
        <caption class="vh">{copy.campaignsTitle}</caption>
        <thead>
          <tr>
            <th scope="col">{copy.name}</th>
            <th scope="col">{copy.sendTime}</th>
            <th scope="col">{copy.theme}</th>
            <th scope="col">{copy.status}</th>
            <th scope="col">{copy.approval}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ campaign, approval, href }) => (
            <tr>
              <td>
                <a href={href}>{campaign.name}</a>
              </td>
              <td>{fmt.dateTime(campaign.sendAt)}</td>
              <td>{copy.emotions[campaign.theme]}</td>
              <td>
                <StatusBadge copy={copy} campaign={campaign} />
              </td>
              <td>{copy.approvals[approval]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    )}
    {pages?.older || pages?.newest ? (
      <nav class="actions" aria-label={copy.campaignPages}>
        {pages.newest ? (
          <a class="button secondary" href={pages.newest}>
            {copy.newestCampaigns}
          </a>
        ) : null}
        {pages.older ? (
          <a class="button secondary" href={pages.older}>
            {copy.olderCampaigns}
          </a>
        ) : null}
      </nav>
    ) : null}
  </>
);

/** What the marketer may do with the campaign now, decided by the route from role and state. */
export interface CampaignActions {
  readonly edit?: string;
  readonly submit?: string;
  readonly decide?: { readonly approve: string; readonly sendBack: string };
  readonly schedule?: { readonly href: string; readonly needsOverride: boolean };
  readonly cancel?: string;
}

export interface HistoryRow {
  readonly at: string;
  readonly who: string;
  readonly action: string;
  readonly comment?: string;
}

/** A planned campaign's members: the plan's counts, the mails sent, and every reason a member was not mailed. */
export interface OutcomeView {
  /** Plan shards are still running: the counts cover the members planned so far. */
  readonly planning: boolean;
  readonly planned: number;
  readonly toSend: number;
  readonly sent: number;
  readonly toGo: number;
  readonly stopped: number;
  /** Named in the console's language, with how many the plan held back and how many were stopped at send. */
  readonly reasons: ReadonlyArray<{ readonly name: string; readonly atPlan: number; readonly atSend: number }>;
}

export interface CampaignPageView {
  readonly copy: ConsoleCopy;
  readonly fmt: Formats;
  readonly csrf: string;
  readonly campaign: Campaign;
  readonly approval: { readonly state: ApprovalState; readonly comment?: string };
  readonly fitText: string;
  readonly authors: readonly string[];
  readonly offers: number;
  /** The campaign's saved audience, linked; none for everyone. */
  readonly audience?: { readonly name: string; readonly href: string };
  readonly links: { readonly preview: string; readonly dryRun: string; readonly report: string };
  readonly actions: CampaignActions;
  readonly requireApproval: boolean;
  readonly history: readonly HistoryRow[];
  /** Once the campaign is planned (or being planned). */
  readonly outcome?: OutcomeView;
}

const Outcome: FC<{ copy: ConsoleCopy; fmt: Formats; outcome: OutcomeView }> = ({ copy, fmt, outcome }) => {
  const words = copy.campaign.outcome;
  return (
    <section id="outcome" aria-labelledby="outcome-title">
      <h2 id="outcome-title">{words.title}</h2>
      {outcome.planning ? <p class="notice">{words.planning}</p> : null}
      <dl class="facts">
        <dt>{words.planned}</dt>
        <dd>{fmt.number(outcome.planned)}</dd>
        <dt>{words.toSend}</dt>
        <dd>{fmt.number(outcome.toSend)}</dd>
        <dt>{words.sent}</dt>
        <dd>{fmt.number(outcome.sent)}</dd>
        <dt>{words.toGo}</dt>
        <dd>{fmt.number(outcome.toGo)}</dd>
        <dt>{words.stopped}</dt>
        <dd>{fmt.number(outcome.stopped)}</dd>
      </dl>
      {outcome.reasons.length === 0 ? (
        <p>{words.none}</p>
      ) : (
        <table>
          <caption>{words.byReason}</caption>
          <thead>
            <tr>
              <th scope="col">{words.reason}</th>
              <th scope="col" class="num">
                {words.atPlan}
              </th>
              <th scope="col" class="num">
                {words.atSend}
              </th>
            </tr>
          </thead>
          <tbody>
            {outcome.reasons.map((r) => (
              <tr>
                <th scope="row">{r.name}</th>
                <td class="num">{fmt.number(r.atPlan)}</td>
                <td class="num">{fmt.number(r.atSend)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p class="help">{words.help}</p>
    </section>
  );
};

const PostButton: FC<{ href: string; csrf: string; label: string; kind?: string }> = ({ href, csrf, label, kind }) => (
  <form method="post" action={href}>
    <Csrf token={csrf} />
    <button type="submit" class={kind}>
      {label}
    </button>
  </form>
);

/** One campaign: its facts, its approval, what the marketer may do, and its history. */
export const CampaignPage: FC<{ view: CampaignPageView }> = ({ view }) => {
  const { copy, fmt, campaign, actions, csrf } = view;
  return (
    <>
      <dl class="facts">
        <dt>{copy.status}</dt>
        <dd>
          <StatusBadge copy={copy} campaign={campaign} />
        </dd>
        <dt>{copy.approval}</dt>
        <dd>{copy.approvals[view.approval.state]}</dd>
        <dt>{copy.campaign.sendAt}</dt>
        <dd>{fmt.dateTime(campaign.sendAt)}</dd>
        <dt>{copy.theme}</dt>
        <dd>
          {copy.emotions[campaign.theme]}: {view.fitText}
        </dd>
        <dt>{copy.editor.occasion}</dt>
        <dd>{campaign.occasion ? copy.occasions[campaign.occasion.id] : copy.none}</dd>
        <dt>{copy.audiences.campaignAudience}</dt>
        <dd id="campaign-audience">
          {view.audience ? <a href={view.audience.href}>{view.audience.name}</a> : copy.audiences.everyone}
        </dd>
        <dt>{copy.editor.offers}</dt>
        <dd>{fmt.number(view.offers)}</dd>
        <dt>{copy.editor.priority}</dt>
        <dd>{copy.priorities[campaign.priority === 3 ? '3' : campaign.priority === 2 ? '2' : '1']}</dd>
        <dt>{copy.editor.holdout}</dt>
        <dd>{fmt.percent(campaign.holdoutShare)}</dd>
        <dt>{copy.editor.kind}</dt>
        <dd>{copy.kinds[campaign.kind]}</dd>
        <dt>{copy.campaign.createdBy}</dt>
        <dd>{view.authors.join(', ') || copy.none}</dd>
      </dl>
      {view.approval.state === 'returned' && view.approval.comment ? (
        <p class="notice warn">{copy.campaign.returned(view.approval.comment)}</p>
      ) : null}
      {view.approval.state === 'approved' ? <p class="notice ok">{copy.campaign.locked}</p> : null}
      {view.requireApproval ? <p class="help">{copy.campaign.needsApproval}</p> : null}
      <div class="actions">
        <a class="button secondary" href={view.links.preview}>
          {copy.campaign.preview}
        </a>
        <a class="button secondary" href={view.links.dryRun}>
          {copy.campaign.dryRun}
        </a>
        <a class="button secondary" href={view.links.report}>
          {copy.campaign.report}
        </a>
        {actions.edit ? (
          <a class="button secondary" href={actions.edit}>
            {copy.campaign.edit}
          </a>
        ) : null}
      </div>
      <div class="actions">
        {actions.submit ? <PostButton href={actions.submit} csrf={csrf} label={copy.campaign.submit} /> : null}
        {actions.schedule ? (
          <form method="post" action={actions.schedule.href}>
            <Csrf token={csrf} />
            {actions.schedule.needsOverride ? (
              <label class="inline">
                <input type="checkbox" name="brandFitOverride" />
                {copy.editor.brandFitOverride}
              </label>
            ) : null}
            <button type="submit">{copy.campaign.schedule}</button>
          </form>
        ) : null}
        {actions.cancel ? (
          <PostButton href={actions.cancel} csrf={csrf} label={copy.campaign.cancel} kind="danger" />
        ) : null}
      </div>
      {actions.decide ? <h2>{copy.approval}</h2> : null}
      {actions.decide ? (
        <form method="post" action={actions.decide.approve}>
          <Csrf token={csrf} />
          <label for="comment">{copy.campaign.comment}</label>
          <p class="help" id="comment-help">
            {copy.campaign.commentHelp}
          </p>
          <textarea id="comment" name="comment" maxlength={2000} aria-describedby="comment-help" />
          <div class="actions">
            <button type="submit">{copy.campaign.approve}</button>
            <button type="submit" class="secondary" formaction={actions.decide.sendBack}>
              {copy.campaign.sendBack}
            </button>
          </div>
        </form>
      ) : null}
      {view.outcome ? <Outcome copy={copy} fmt={fmt} outcome={view.outcome} /> : null}
      <h2>{copy.campaign.history}</h2>
      {view.history.length === 0 ? (
        <p>{copy.campaign.noHistory}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{copy.audit.when}</th>
              <th scope="col">{copy.audit.who}</th>
              <th scope="col">{copy.audit.action}</th>
            </tr>
          </thead>
          <tbody>
            {view.history.map((row) => (
              <tr>
                <td>{fmt.dateTime(row.at)}</td>
                <td>{row.who}</td>
                <td>
                  <code>{row.action}</code>
                  {row.comment ? <p>{row.comment}</p> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
};
