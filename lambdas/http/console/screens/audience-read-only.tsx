import type { FC } from 'hono/jsx';
import { ATTRIBUTE_OPS, type ConditionForm } from '../routes/audience-form.js';
import { AudienceCount, type BuilderView, DietNote, kindName } from './audiences.js';

/** What a viewer sees (docs/decisions/0051): the rows as text, the count, and no edit controls. */
export const AudienceReadOnly: FC<{ view: BuilderView; json?: string }> = ({ view, json }) => {
  const { copy, form } = view;
  const a = copy.audiences;
  const describe = (c: ConditionForm): string => {
    switch (c.kind) {
      case 'attribute':
        return `${c.attribute} ${a.ops[ATTRIBUTE_OPS.find((op) => op === c.op) ?? 'equals']} ${c.value}`.trim();
      case 'bought':
        return `${a.targets[c.target === 'product' ? 'product' : 'category']} ${c.item}, ${a.dayModes.within.replace('N', c.days)}, ${a.times}: ${c.times}`;
      case 'last-purchase':
      case 'last-click':
      case 'joined':
        return a.dayModes[c.dayMode === 'ago' ? 'ago' : 'within'].replace('N', c.days);
      case 'engagement':
        return a.states[c.state === 'passive' ? 'passive' : 'active'];
      case 'audience':
        return view.audiences.find((x) => x.id === c.audienceId)?.name ?? c.audienceId;
      case 'recipient-of':
        return view.campaigns.find((x) => x.id === c.campaignId)?.name ?? c.campaignId;
      default:
        return '';
    }
  };
  return (
    <>
      <p>{a.readOnly}</p>
      {form.description ? <p>{form.description}</p> : null}
      <DietNote copy={copy} />
      {json === undefined ? (
        <>
          <p>
            {a.combine} {form.combine === 'any' ? a.combineAny : a.combineAll}:
          </p>
          <ol>
            {form.conditions.map((c) => (
              <li>
                {c.not ? `${a.not}: ` : ''}
                {kindName(copy, c.kind)}
                {describe(c) ? `: ${describe(c)}` : ''}
              </li>
            ))}
          </ol>
        </>
      ) : (
        <>
          <p>{a.notBuilder}</p>
          <pre lang="en">{json}</pre>
        </>
      )}
      <section aria-labelledby="count-heading">
        <h2 id="count-heading">{a.countTitle}</h2>
        <div id="audience-count" aria-live="polite">
          <AudienceCount copy={copy} fmt={view.fmt} count={view.count} estimateUrl={undefined} />
        </div>
      </section>
    </>
  );
};
