import type { ConsoleCopy } from './en.js';

/** Politikeksperimentets side på dansk. */
export const DA_EXPERIMENT: ConsoleCopy['experiment'] = {
  title: 'Eksperiment',
  none: 'Klubben kører intet politikeksperiment. En administrator starter et gennem API’et (PUT /api/clubs/:club/experiment).',
  intro:
    'Medlemmerne deles med en stabil hash i grupper, som hver får mails efter sin egen politik, så klubben kan se på sine egne medlemmer, om budgettet holder på dem. Hvert tal har sit 95 %-interval: med medlemmer som disse ligger det sande tal inden for det 19 gange ud af 20.',
  status: { running: 'Kører', stopped: 'Stoppet' },
  facts: 'Om eksperimentet',
  experimentId: 'Eksperiment',
  state: 'Tilstand',
  started: 'Startet',
  stopped: 'Stoppet',
  readableAfter: 'Kan læses efter',
  readableRule: (months: string, members: string) => `${months} hele måneder og ${members} medlemmer i hver gruppe`,
  readable: 'Kan læses: de mindste antal måneder og medlemmer, der blev angivet på forhånd, er nået.',
  notYet: 'Kan endnu ikke læses.',
  missingMonths: (needed: string, over: string) => `${needed} hele måneder er nødvendige, og ${over} er gået.`,
  missingMembers: (needed: string, smallest: string) =>
    `Hver gruppe skal have ${needed} medlemmer, og den mindste har ${smallest}.`,
  notYetNote: 'Indtil da vises tallene, men en forskel må ikke læses som et resultat.',
  armsTitle: 'Grupper',
  arm: 'Gruppe',
  share: 'Andel af nye medlemmer',
  policy: 'Politik',
  members: 'Medlemmer',
  reference: '(sammenlignes med)',
  policies: {
    'club-budget': 'Klubbens frekvensbudget',
    'fixed-cap': (caps: string, gap: string) => `Et fast loft: ${caps}${gap}`,
    cap: (max: string, days: string) => `højst ${max} på ${days} dage`,
    gap: (hours: string) => `, ${hours} timer imellem`,
    'previous-settings': 'Klubbens tidligere indstillinger',
    'no-campaign-mail': 'Kontrolgruppe: ingen kampagnemails',
  },
  chartTitle: 'Medlemmer, der har forladt mails, pr. måned',
  chartNote:
    'Hvert punkt er andelen af gruppens medlemmer, der har forladt mails (afmeldt eller klaget) ved månedens udgang; båndet er dets 95 %-interval. En stiplet linje er simulatorens forudsigelse for samme gruppe. Et hult punkt er en måned, der ikke er slut.',
  legend: 'I diagrammet',
  legendBand: '95 %-interval',
  legendPredicted: 'Simulatorens forudsigelse (stiplet)',
  legendOpen: 'Måneden er ikke slut',
  observedTitle: 'Målt, pr. måned og gruppe',
  month: 'Måned',
  complete: 'Slut',
  left: 'Forladt mails',
  passive: 'Blevet passive',
  mails: 'Mails pr. medlem',
  conversions: 'Konverteringer pr. medlem',
  spend: 'Forbrug pr. medlem',
  predictedLeft: 'Forudsagt forladt',
  interval: (low: string, high: string) => `${low} – ${high}`,
  noFigure: '–',
  differencesTitle: (arm: string) => `Forskelle fra gruppen ${arm}`,
  differencesNote:
    'Hver gruppe minus den sammenlignede gruppe, med forskellens 95 %-interval. Et interval, der indeholder 0, viser ingen forskel ud over støjen.',
  versus: 'Gruppe',
  noMonths: 'Ingen måned er begyndt endnu.',
  predictionTitle: 'Simulatorens forudsigelse ved siden af, hvad medlemmerne gjorde',
  predictionMissing:
    'Der er ingen forudsigelse gemt for eksperimentet. `npm run experiment:predict` kører simulatoren med de samme politikker og gemmer den.',
  predictionStale:
    'Forudsigelsen blev lavet for andre politikker eller et andet eksperiment: den vises, men kør `npm run experiment:predict` igen, før du sammenligner.',
  predictionFrom: (at: string, members: string, weeks: string) =>
    `Beregnet ${at} af simulatoren med ${members} simulerede medlemmer over ${weeks} uger.`,
  predicted: 'Forudsagt',
  observed: 'Målt',
  latestMonth: 'Måned',
  yes: 'Ja',
  no: 'Nej',
  countedAt: (at: string) => `Tal pr. ${at}.`,
  notCounted:
    'Ikke optalt endnu. Tallene tælles fra hvert medlem en del ad gangen, ikke ved hver visning: start optællingen, så vises de, når den er færdig.',
  counting: (members: string, done: string, of: string) =>
    `Tæller: ${members} medlemmer indtil nu, ${done} af ${of} dele færdige.`,
  countNote:
    'Tæl igen for at få kvitteringer, afmeldinger og udsendelser siden da med. En måned, der ikke var slut ved optællingen, vises frem til da (en hul prik) og lukkes af den første optælling, efter at den er slut.',
  count: 'Tæl medlemmerne',
  recount: 'Tæl igen',
  continueCount: 'Fortsæt optællingen',
};
