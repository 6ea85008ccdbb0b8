import type { ConsoleCopy } from './en.js';

/** Policyexperimentets sida på svenska. */
export const SV_EXPERIMENT: ConsoleCopy['experiment'] = {
  title: 'Experiment',
  none: 'Klubben har inget policyexperiment. En administratör startar ett genom API:t (PUT /api/clubs/:club/experiment).',
  intro:
    'Medlemmarna delas med en stabil hash i grupper som var och en får utskick enligt sin egen policy, så att klubben ser på sina egna medlemmar om budgeten behåller dem i klubben. Varje siffra har sitt 95 %-intervall: med sådana här medlemmar ligger den sanna siffran inom det 19 gånger av 20.',
  status: { running: 'Pågår', stopped: 'Stoppat' },
  facts: 'Om experimentet',
  experimentId: 'Experiment',
  state: 'Läge',
  started: 'Startade',
  stopped: 'Stoppades',
  readableAfter: 'Läsbart efter',
  readableRule: (months: string, members: string) => `${months} hela månader och ${members} medlemmar i varje grupp`,
  readable: 'Läsbart: de minsta antal månader och medlemmar som angavs i förväg är uppnådda.',
  notYet: 'Ännu inte läsbart.',
  missingMonths: (needed: string, over: string) => `${needed} hela månader behövs och ${over} har gått.`,
  missingMembers: (needed: string, smallest: string) =>
    `Varje grupp behöver ${needed} medlemmar och den minsta har ${smallest}.`,
  notYetNote: 'Till dess visas siffrorna, men en skillnad får inte läsas som ett resultat.',
  armsTitle: 'Grupper',
  arm: 'Grupp',
  share: 'Andel av nya medlemmar',
  policy: 'Policy',
  members: 'Medlemmar',
  reference: '(jämförs med)',
  policies: {
    'club-budget': 'Klubbens frekvensbudget',
    'fixed-cap': (caps: string, gap: string) => `Ett fast tak: ${caps}${gap}`,
    cap: (max: string, days: string) => `högst ${max} på ${days} dagar`,
    gap: (hours: string) => `, ${hours} timmar emellan`,
    'previous-settings': 'Klubbens tidigare inställningar',
    'no-campaign-mail': 'Kontrollgrupp: inga kampanjutskick',
  },
  chartTitle: 'Medlemmar som lämnat utskicken, per månad',
  chartNote:
    'Varje punkt är andelen av gruppens medlemmar som lämnat utskicken (avregistrerat sig eller klagat) vid månadens slut; bandet är dess 95 %-intervall. En streckad linje är simulatorns förutsägelse för samma grupp. En ihålig punkt är en månad som inte är slut.',
  legend: 'I diagrammet',
  legendBand: '95 %-intervall',
  legendPredicted: 'Simulatorns förutsägelse (streckad)',
  legendOpen: 'Månaden är inte slut',
  observedTitle: 'Uppmätt, per månad och grupp',
  month: 'Månad',
  complete: 'Slut',
  left: 'Lämnat utskicken',
  passive: 'Blivit passiva',
  mails: 'Utskick per medlem',
  conversions: 'Konverteringar per medlem',
  spend: 'Köpbelopp per medlem',
  predictedLeft: 'Förutsagt lämnat',
  interval: (low: string, high: string) => `${low} – ${high}`,
  noFigure: '–',
  differencesTitle: (arm: string) => `Skillnader mot gruppen ${arm}`,
  differencesNote:
    'Varje grupp minus den jämförda gruppen, med skillnadens 95 %-intervall. Ett intervall som innehåller 0 visar ingen skillnad utöver bruset.',
  versus: 'Grupp',
  noMonths: 'Ingen månad har börjat än.',
  predictionTitle: 'Simulatorns förutsägelse bredvid vad medlemmarna gjorde',
  predictionMissing:
    'Ingen förutsägelse är sparad för experimentet. `npm run experiment:predict` kör simulatorn med samma policyer och sparar den.',
  predictionStale:
    'Förutsägelsen gjordes för andra policyer eller ett annat experiment: den visas, men kör `npm run experiment:predict` igen innan du jämför.',
  predictionFrom: (at: string, members: string, weeks: string) =>
    `Beräknad ${at} av simulatorn med ${members} simulerade medlemmar under ${weeks} veckor.`,
  predicted: 'Förutsagt',
  observed: 'Uppmätt',
  latestMonth: 'Månad',
  yes: 'Ja',
  no: 'Nej',
  countedAt: (at: string) => `Siffror per ${at}.`,
  notCounted:
    'Inte räknat än. Siffrorna räknas från varje medlem en del i taget, inte vid varje visning: starta räkningen, så visas de när den är klar.',
  counting: (members: string, done: string, of: string) =>
    `Räknar: ${members} medlemmar hittills, ${done} av ${of} delar klara.`,
  countNote:
    'Räkna igen för att få med kvitton, avregistreringar och utskick sedan dess. En månad som inte var slut vid räkningen visas fram till dess (en ihålig punkt) och stängs av första räkningen efter att den tagit slut.',
  count: 'Räkna medlemmarna',
  recount: 'Räkna igen',
  continueCount: 'Fortsätt räkna',
};
