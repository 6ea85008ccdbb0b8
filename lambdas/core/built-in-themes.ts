import type { Theme } from './theme-library.js';

/**
 * The built-in themes, one per brand emotion: data only (the schema and lookups are in
 * theme-library.ts). Each language is written on its own terms; none is a translation of another.
 */
export const BUILT_IN_THEMES: readonly Theme[] = [
  {
    // A grocery chain: the neighbourhood store, everyday food, seeing each other at the till.
    id: 'community',
    emotion: 'community',
    copy: {
      sv: {
        informal: {
          subjects: [
            '{{ first_name }}, veckans favoriter från din butik',
            'Det här lägger grannarna i korgen just nu',
            'Nybakat, nyskördat och medlemspris, {{ first_name }}',
          ],
          preheaders: [
            'Medlemspriser på det du brukar handla – vi ses vid kassan!',
            'Handplockat åt dig, utifrån det du brukar ha i kassen.',
          ],
          headline: 'Hej {{ first_name }}! Här är veckans godbitar',
          intro:
            'Vi har plockat ihop några medlemspriser på sådant du ofta har i korgen. Allt finns i din butik, så titta förbi när det passar dig.',
          closing: 'Vi ses i butiken! Hälsningar från hela gänget',
          cta: { label: 'Se veckans medlemspriser', style: 'solid' },
        },
      },
      da: {
        informal: {
          subjects: [
            '{{ first_name }}, ugens gode køb i din butik',
            'Det lægger naboerne i indkøbskurven lige nu',
            'Friskt fra disken til medlemspris, {{ first_name }}',
          ],
          preheaders: [
            'Medlemspriser på det, du plejer at købe – vi ses ved kassen!',
            'Vi har kigget i din kurv og fundet et par gode tilbud.',
          ],
          headline: 'Hej {{ first_name }}! Her er ugens gode sager',
          intro:
            'Vi har samlet nogle medlemspriser på de ting, du tit har med hjem. Det hele står klar i din lokale butik, så kig ind, når det passer dig.',
          closing: 'Vi ses i butikken! De bedste hilsner fra hele holdet',
          cta: { label: 'Find ugens gode tilbud', style: 'solid' },
        },
      },
      en: {
        informal: {
          subjects: [
            '{{ first_name }}, your local favourites this week',
            'What the neighbours are putting in their baskets',
            'Fresh from your local store, {{ first_name }}',
          ],
          preheaders: [
            'Member prices on the things you buy most. See you at the till!',
            'Hand-picked from your usual shop.',
          ],
          headline: 'Hi {{ first_name }}, here’s what’s good this week',
          intro:
            'We’ve rounded up member prices on the things you often take home. It’s all waiting at your local store, so pop in whenever suits you.',
          closing: 'See you in store soon! From all of us at your local shop',
          cta: { label: 'See this week’s deals', style: 'solid' },
        },
      },
    },
  },
  {
    // A luxury department store: being chosen, seeing it first, understated.
    id: 'selected',
    emotion: 'selected',
    copy: {
      sv: {
        informal: {
          subjects: [
            '{{ first_name }}, utvalt med dig i tankarna',
            'Endast för medlemmar: en förhandstitt för dig',
            'Något alldeles särskilt väntar på dig, {{ first_name }}',
          ],
          preheaders: [
            'Våra medlemmar får se det först – och du är en av dem.',
            'Ett litet urval, noga valt efter din smak.',
          ],
          headline: '{{ first_name }}, det här har vi sparat åt dig',
          intro:
            'Innan något av det här når butiken vill vi visa dig ett litet urval som vi tror passar just din stil. Förmånerna gäller bara för medlemmar.',
          closing: 'Varmt välkommen in till oss, {{ first_name }}.',
          cta: { label: 'Se ditt urval', style: 'outline' },
        },
        formal: {
          subjects: ['Ett särskilt urval för dig, {{ first_name }}', 'En förhandsvisning för våra medlemmar'],
          preheaders: ['Ett begränsat urval som medlemmar får ta del av före alla andra.'],
          headline: 'Säsongens urval – först för våra medlemmar',
          intro:
            'Som medlem erbjuds du att ta del av säsongens urval innan det visas för andra. Förmånerna nedan gäller under en begränsad tid.',
          closing: 'Med vänliga hälsningar',
          cta: { label: 'Ta del av urvalet', style: 'outline' },
        },
      },
      da: {
        informal: {
          subjects: [
            '{{ first_name }}, du får første parket',
            'Kun for medlemmer: kig med, før alle andre gør',
            'Det her har vi gemt til dig, {{ first_name }}',
          ],
          preheaders: [
            'Et lille udvalg, valgt med omhu – og du ser det først.',
            'Håndplukket til dig, der sætter pris på det gode.',
          ],
          headline: 'Vi har gemt noget særligt til dig, {{ first_name }}',
          intro:
            'Før sæsonens nyheder kommer ud i butikken, vil vi gerne vise dig et lille udvalg, som vi tror, du falder for. Fordelene gælder kun for medlemmer.',
          closing: 'Du er altid velkommen hos os, {{ first_name }}.',
          cta: { label: 'Oplev udvalget', style: 'outline' },
        },
        formal: {
          subjects: ['Et særligt udvalg til dig, {{ first_name }}', 'Forhåndsvisning for vores medlemmer'],
          preheaders: ['Et begrænset udvalg, som medlemmer får adgang til før andre.'],
          headline: 'Sæsonens udvalg – eksklusivt for medlemmer',
          intro:
            'Som medlem får du adgang til sæsonens udvalg, før det bliver vist for andre. Fordelene nedenfor gælder i en begrænset periode.',
          closing: 'Med venlig hilsen',
          cta: { label: 'Se udvalget', style: 'outline' },
        },
      },
      en: {
        informal: {
          subjects: [
            '{{ first_name }}, we saved something special for you',
            'Members first: your private preview',
            'Chosen with you in mind, {{ first_name }}',
          ],
          preheaders: [
            'Members see it before anyone else, and you’re on the list.',
            'A small edit, picked for your taste.',
          ],
          headline: 'First look, {{ first_name }}: we kept these for you',
          intro:
            'Before anything reaches the shop floor, we’d like you to see a small edit we think suits your style. These privileges are for members only.',
          closing: 'We look forward to welcoming you, {{ first_name }}.',
          cta: { label: 'View your edit', style: 'outline' },
        },
        formal: {
          subjects: ['A private preview for our members', 'Your invitation to the season’s edit, {{ first_name }}'],
          preheaders: ['A limited selection, available to members ahead of general release.'],
          headline: 'An invitation to preview the season',
          intro:
            'As a member, you are invited to view this season’s selection before it is shown to others. The privileges below are available for a limited time.',
          closing: 'Kind regards',
          cta: { label: 'View the selection', style: 'outline' },
        },
      },
    },
  },
  {
    // A sports chain: get up, get out, move.
    id: 'vitality',
    emotion: 'vitality',
    copy: {
      sv: {
        informal: {
          subjects: [
            '{{ first_name }}, redo för nästa pass?',
            'Snöra på dig, {{ first_name }} – nu kör vi!',
            'Ny säsong, nya mål. Vad siktar du på?',
          ],
          preheaders: [
            'Medlemspriser på det som får dig att vilja röra på dig.',
            'Löparskor, träningskläder och annat som håller dig igång.',
          ],
          headline: 'Kom igen, {{ first_name }} – nu kör vi!',
          intro:
            'Oavsett om du springer, cyklar eller tar en promenad i skogen har vi plockat fram erbjudanden som gör det lite lättare att komma ut.',
          closing: 'Ha ett grymt pass! Vi hejar på dig.',
          cta: { label: 'Hitta din utrustning', style: 'solid' },
        },
      },
      da: {
        informal: {
          subjects: [
            '{{ first_name }}, skal vi ud og røre os?',
            'Kom godt fra start, {{ first_name }}!',
            'Løb, cykel eller svøm – vi har det, du mangler',
          ],
          preheaders: [
            'Medlemspriser på alt det, der giver lyst til at bevæge sig.',
            'Nye løbesko, træningstøj og udstyr til den næste tur.',
          ],
          headline: 'Op af sofaen, {{ first_name }}!',
          intro:
            'Uanset om du løber, cykler eller bare skal en tur i skoven, har vi fundet tilbud, der gør det lidt nemmere at komme afsted.',
          closing: 'God tur derude – vi hepper på dig!',
          cta: { label: 'Find dit udstyr', style: 'solid' },
        },
      },
      en: {
        informal: {
          subjects: [
            '{{ first_name }}, ready for your next workout?',
            'Lace up, {{ first_name }} – let’s go!',
            'New season, new goals. What’s yours?',
          ],
          preheaders: [
            'Member prices on the kit that gets you moving.',
            'Running shoes, training wear and gear for your next outing.',
          ],
          headline: 'Time to move, {{ first_name }}!',
          intro:
            'Whether you run, ride or just fancy a walk in the woods, we’ve found offers that make it a little easier to get out there.',
          closing: 'Have a great session – we’re cheering you on!',
          cta: { label: 'Gear up', style: 'solid' },
        },
      },
    },
  },
  {
    // A bookstore: wake curiosity, the wish to dream away.
    id: 'curiosity',
    emotion: 'curiosity',
    copy: {
      sv: {
        informal: {
          subjects: [
            '{{ first_name }}, vart tar nästa bok dig?',
            'Nya världar väntar på dig, {{ first_name }}',
            'Vad ska du läsa härnäst?',
          ],
          preheaders: [
            'Vi har letat fram titlar som vi tror väcker din nyfikenhet.',
            'Äventyr, gåtor och andra världar – utvalt efter din smak.',
          ],
          headline: 'Dröm dig bort, {{ first_name }}',
          intro:
            'Ibland räcker det med en första mening för att hamna någon helt annanstans. Här är några titlar vi tror att du kommer att tycka om.',
          closing: 'Trevlig läsning! Vi har alltid en stol ledig i butiken.',
          cta: { label: 'Hitta din nästa bok', style: 'outline' },
        },
      },
      da: {
        informal: {
          subjects: [
            '{{ first_name }}, hvad skal du læse nu?',
            'Forsvind ind i en god bog, {{ first_name }}',
            'Nye verdener ligger og venter på dig',
          ],
          preheaders: [
            'Vi har fundet titler, som vi tror, du bliver nysgerrig på.',
            'Eventyr, mysterier og fjerne steder – udvalgt efter din smag.',
          ],
          headline: 'Drøm dig væk, {{ first_name }}',
          intro:
            'Nogle gange skal der bare én god første sætning til, før man er et helt andet sted. Her er et par titler, vi tror, du vil holde af.',
          closing: 'God læselyst! Der er altid en ledig stol i butikken.',
          cta: { label: 'Find din næste bog', style: 'outline' },
        },
      },
      en: {
        informal: {
          subjects: [
            '{{ first_name }}, what will you read next?',
            'Books to get lost in, {{ first_name }}',
            'Somewhere new is waiting between the covers',
          ],
          preheaders: [
            'We’ve found a few titles we think will spark your curiosity.',
            'Adventures, mysteries and faraway places, picked for you.',
          ],
          headline: 'Dream a little, {{ first_name }}',
          intro:
            'Sometimes one good opening line is all it takes to end up somewhere else entirely. Here are a few titles we think you’ll love.',
          closing: 'Happy reading! There’s always a free armchair in the shop.',
          cta: { label: 'Find your next read', style: 'outline' },
        },
      },
    },
  },
  {
    // Care: looking after yourself and the people close to you, everyday wellbeing.
    id: 'care',
    emotion: 'care',
    copy: {
      sv: {
        informal: {
          subjects: [
            '{{ first_name }}, unna dig en stund för dig själv',
            'Lite extra omtanke i en full vecka',
            'Ta hand om dig, {{ first_name }}',
          ],
          preheaders: ['Erbjudanden som gör vardagen lite mjukare.', 'För dig och dem du bryr dig om.'],
          headline: 'Ta det lugnt, {{ first_name }} – du förtjänar det',
          intro:
            'Vardagen kan vara full nog ändå. Därför har vi valt ut några erbjudanden som gör det lättare att ta hand om dig själv och dina nära.',
          closing: 'Ta hand om dig! Varma hälsningar från oss',
          cta: { label: 'Se erbjudandena', style: 'solid' },
        },
      },
      da: {
        informal: {
          subjects: [
            '{{ first_name }}, giv dig selv et pusterum',
            'Lidt ekstra omsorg i en travl hverdag',
            'Pas godt på dig selv, {{ first_name }}',
          ],
          preheaders: ['Tilbud, der gør hverdagen lidt blidere.', 'Til dig og dem, du holder af.'],
          headline: 'Træk vejret dybt, {{ first_name }}',
          intro:
            'Hverdagen har travlt nok i forvejen. Derfor har vi valgt nogle tilbud, der gør det lettere at passe på dig selv og dem, du holder af.',
          closing: 'Pas godt på dig selv! Varme hilsner fra os alle',
          cta: { label: 'Se tilbuddene', style: 'solid' },
        },
      },
      en: {
        informal: {
          subjects: [
            '{{ first_name }}, take a moment for yourself',
            'A little extra care for a busy week',
            'Look after yourself, {{ first_name }}',
          ],
          preheaders: ['Offers to make everyday life a little gentler.', 'For you and the people you care about.'],
          headline: 'Slow down, {{ first_name }} – you’ve earned it',
          intro:
            'Everyday life is busy enough. So we’ve chosen a few offers that make it easier to look after yourself and the people closest to you.',
          closing: 'Take care, and warm wishes from all of us',
          cta: { label: 'See the offers', style: 'solid' },
        },
      },
    },
  },
  {
    // Celebration: parties big and small.
    id: 'celebration',
    emotion: 'celebration',
    copy: {
      sv: {
        informal: {
          subjects: [
            '{{ first_name }}, nu blir det fest!',
            'Skål för helgen – allt för en lyckad fest',
            'Dags att fira, {{ first_name }}!',
          ],
          preheaders: [
            'Bubbel, tårta och allt annat som gör kvällen minnesvärd.',
            'Medlemspriser för dig som gillar att fira.',
          ],
          headline: 'Nu firar vi, {{ first_name }}!',
          intro:
            'Stort eller smått, det finns alltid något att fira. Vi har plockat fram erbjudanden som gör festen lite enklare och lite roligare.',
          closing: 'Ha en riktigt härlig fest! Skål från oss',
          cta: { label: 'Fixa festen', style: 'solid' },
        },
      },
      da: {
        informal: {
          subjects: [
            '{{ first_name }}, nu skal der festes!',
            'Skål! Alt til en festlig weekend',
            'Der er noget at fejre, {{ first_name }}',
          ],
          preheaders: [
            'Bobler, lagkage og alt det andet, der gør aftenen til noget særligt.',
            'Medlemspriser til dig, der elsker en god fest.',
          ],
          headline: 'Så er der fest, {{ first_name }}!',
          intro:
            'Stort eller småt – der er altid en grund til at fejre noget. Vi har fundet tilbud, der gør festen lidt nemmere og meget sjovere.',
          closing: 'God fest! Vi løfter glasset for dig',
          cta: { label: 'Gør klar til fest', style: 'solid' },
        },
      },
      en: {
        informal: {
          subjects: [
            '{{ first_name }}, it’s party time!',
            'Raise a glass – everything for a great weekend',
            'Something to celebrate, {{ first_name }}?',
          ],
          preheaders: [
            'Fizz, cake and everything else that makes the night.',
            'Member prices for people who love a good party.',
          ],
          headline: 'Let’s celebrate, {{ first_name }}!',
          intro:
            'Big or small, there’s always something worth celebrating. We’ve picked offers that make the party a bit easier and a lot more fun.',
          closing: 'Have a wonderful time – cheers from all of us!',
          cta: { label: 'Plan the party', style: 'solid' },
        },
      },
    },
  },
];
