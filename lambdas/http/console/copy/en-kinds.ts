/** The editor's survey and note fields in English (routes/campaign-kind-form.ts). */
export const EN_KIND_FIELDS = {
  survey: 'Survey',
  surveyHelp: 'Used when the kind is Survey.',
  relationship: 'Relationship: a random sample of the members',
  afterPurchase: 'After a purchase: members whose latest purchase is some days old',
  daysAfter: 'Days after the purchase',
  windowDays: 'For how many days of purchases (1 when it runs daily)',
  askReason: 'Ask for the reason for the score',
  question: 'Your own question (optional)',
  questionHelp:
    'Asked after the NPS question on a 1 to 5 scale, for example satisfaction with the store. Write it and what 1 and 5 mean in all three languages, or leave every field empty for none.',
  questionId: 'Name in reports and exports (letters, digits, - and _)',
  questionPart: { text: 'Question', low: 'What 1 means', high: 'What 5 means' },
  note: 'You said, we did',
  noteHelp: 'Used when the kind is You said, we did: it goes to the members whose comments touched the topic.',
  topic: 'Comment topic',
  noTopics: 'The club has no comment topics yet.',
  chooseTopic: 'Choose a topic',
  part: { subject: 'Subject', headline: 'Headline', body: 'Text' },
  inLanguage: { sv: 'Swedish', da: 'Danish', en: 'English' },
};
