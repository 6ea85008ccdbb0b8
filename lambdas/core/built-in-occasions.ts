import type { OccasionLibrary } from './theme-library.js';

/**
 * The built-in occasion copy, in the languages each occasion requires (REQUIRED_OCCASION_LANGUAGES):
 * data only, warm and brief. Dates and eligibility live in occasions.ts. Each language is written
 * on its own terms; none is a translation of another.
 */
export const BUILT_IN_OCCASIONS: OccasionLibrary = {
  birthday: {
    sv: {
      informal: {
        subjects: ['Grattis på födelsedagen, {{ first_name }}!', 'En liten present till dig, {{ first_name }}'],
        preheaders: ['Vi firar dig med en födelsedagsförmån – bara för dig.'],
        headline: 'Hurra för dig, {{ first_name }}!',
        intro: 'Det är din dag, och den vill vi fira. Här är en liten födelsedagspresent från oss.',
        closing: 'Ha en underbar dag! Hälsningar från oss alla',
        cta: { label: 'Öppna din present', style: 'solid' },
        funFactIntro: 'Visste du? {{ fun_fact }}',
      },
    },
    da: {
      informal: {
        subjects: ['Tillykke med fødselsdagen, {{ first_name }}!', 'Vi har en lille gave til dig, {{ first_name }}'],
        preheaders: ['Vi fejrer dig med en fødselsdagsfordel, kun til dig.'],
        headline: 'Hurra, {{ first_name }} – det er din dag!',
        intro: 'I dag handler det om dig, og det skal fejres. Her er en lille fødselsdagsgave fra os.',
        closing: 'Hav en skøn dag! Mange hilsner fra os alle',
        cta: { label: 'Pak din gave ud', style: 'solid' },
        funFactIntro: 'Vidste du det? {{ fun_fact }}',
      },
    },
    en: {
      informal: {
        subjects: ['Happy birthday, {{ first_name }}!', 'A little something for your big day'],
        preheaders: ['We’re celebrating you with a birthday treat, just for you.'],
        headline: 'It’s your day, {{ first_name }}!',
        intro: 'Today is all about you, and we’d love to join in. Here’s a small birthday present from us.',
        closing: 'Have a wonderful day! Best wishes from all of us',
        cta: { label: 'Unwrap your gift', style: 'solid' },
        funFactIntro: 'Did you know? {{ fun_fact }}',
      },
    },
  },
  'membership-anniversary': {
    sv: {
      informal: {
        subjects: [
          'Tack för {{ years_as_member }} år som medlem, {{ first_name }}!',
          'I dag firar vi dig, {{ first_name }}',
        ],
        preheaders: ['Tack för att du är med oss. Här är något extra som tack.'],
        headline: '{{ years_as_member }} år tillsammans – tack, {{ first_name }}!',
        intro:
          'I dag är det {{ years_as_member }} år sedan du blev medlem. Det vill vi fira, och tacka dig för att du har varit med oss hela vägen.',
        closing: 'Vi ser fram emot många fler år tillsammans.',
        cta: { label: 'Hämta din present', style: 'solid' },
        funFactIntro: 'Visste du? {{ fun_fact }}',
      },
    },
    da: {
      informal: {
        subjects: [
          '{{ years_as_member }} år som medlem – tak, {{ first_name }}!',
          'Vi fejrer dig i dag, {{ first_name }}',
        ],
        preheaders: ['Tak, fordi du handler hos os. Her er en lille gave som tak.'],
        headline: 'Tillykke med de {{ years_as_member }} år, {{ first_name }}!',
        intro:
          'I dag er det {{ years_as_member }} år siden, du blev medlem. Det vil vi gerne fejre – og sige tak, fordi du har været med hele vejen.',
        closing: 'Vi glæder os til mange flere år sammen.',
        cta: { label: 'Hent din gave', style: 'solid' },
        funFactIntro: 'Vidste du det? {{ fun_fact }}',
      },
    },
    en: {
      informal: {
        // "{{ years_as_member }}-year" reads right for one year too, unlike "1 years".
        subjects: ['Happy membership anniversary, {{ first_name }}!', 'Thank you for being with us, {{ first_name }}'],
        preheaders: ['Your {{ years_as_member }}-year anniversary calls for a little thank-you gift.'],
        headline: 'Happy anniversary, {{ first_name }}!',
        intro:
          'It’s your {{ years_as_member }}-year anniversary as a member today. We’d love to celebrate it with you, and to say thank you for sticking with us.',
        closing: 'Here’s to many more years together!',
        cta: { label: 'Claim your gift', style: 'solid' },
        funFactIntro: 'Did you know? {{ fun_fact }}',
      },
    },
  },
  // No Danish copy: see REQUIRED_OCCASION_LANGUAGES.
  'name-day': {
    sv: {
      informal: {
        subjects: ['Grattis på namnsdagen, {{ first_name }}!', 'I dag står ditt namn i almanackan, {{ first_name }}'],
        preheaders: ['Ett litet namnsdagsfirande från oss, för just dig.'],
        headline: 'Hurra, {{ first_name }} – i dag har du namnsdag!',
        intro:
          'Ditt namn står i almanackan i dag, och det tycker vi är värt att fira. Här är en liten namnsdagsgåva från oss.',
        closing: 'Ha en riktigt fin namnsdag!',
        cta: { label: 'Se din namnsdagsgåva', style: 'solid' },
        funFactIntro: 'Visste du? {{ fun_fact }}',
      },
    },
    en: {
      informal: {
        subjects: ['Happy name day, {{ first_name }}!', 'Your name is in the Swedish calendar today'],
        preheaders: ['In Sweden, name days are worth celebrating – so here’s a little treat.'],
        headline: 'It’s your name day, {{ first_name }}!',
        intro:
          'In Sweden, every day of the calendar belongs to a few names, and today one of them is yours. Here’s a small name-day treat from us.',
        closing: 'Have a lovely name day!',
        cta: { label: 'See your treat', style: 'solid' },
        funFactIntro: 'Did you know? {{ fun_fact }}',
      },
    },
  },
  valentines: {
    sv: {
      informal: {
        subjects: [
          'Alla hjärtans dag närmar sig, {{ first_name }}',
          'Visa lite kärlek – till någon annan eller dig själv',
        ],
        preheaders: ['Blommor, choklad och små gester som säger mycket.'],
        headline: 'Lite extra kärlek, {{ first_name }}',
        intro:
          'Alla hjärtans dag är en bra ursäkt att visa någon att man bryr sig – kanske dig själv. Här är några idéer som gör dagen lite varmare.',
        closing: 'Glad alla hjärtans dag!',
        cta: { label: 'Hitta en kärleksfull gåva', style: 'solid' },
        funFactIntro: 'Lite kärlekskuriosa: {{ fun_fact }}',
      },
    },
    da: {
      informal: {
        subjects: ['Valentinsdag står for døren, {{ first_name }}', 'Sig det med blomster – eller chokolade'],
        preheaders: ['Blomster, chokolade og små gestus, der siger mere end ord.'],
        headline: 'Lidt kærlighed til dig, {{ first_name }}',
        intro:
          'Valentinsdag er en god anledning til at vise, at man holder af nogen – også sig selv. Her er et par idéer, der kan gøre dagen lidt varmere.',
        closing: 'Rigtig god valentinsdag!',
        cta: { label: 'Find en gave med hjerte', style: 'solid' },
        funFactIntro: 'Vidste du det? {{ fun_fact }}',
      },
    },
    en: {
      informal: {
        subjects: ['Valentine’s Day is coming, {{ first_name }}', 'Show some love – to someone special, or yourself'],
        preheaders: ['Flowers, chocolate and little gestures that say a lot.'],
        headline: 'A little love goes a long way, {{ first_name }}',
        intro:
          'Valentine’s Day is a lovely excuse to show someone you care, and that someone can be you. Here are a few ideas to make the day a little warmer.',
        closing: 'Happy Valentine’s Day!',
        cta: { label: 'Find a gift they’ll love', style: 'solid' },
        funFactIntro: 'Did you know? {{ fun_fact }}',
      },
    },
  },
  'mothers-day': {
    sv: {
      informal: {
        subjects: ['Mors dag närmar sig, {{ first_name }}', 'Något fint till mamma?'],
        preheaders: ['Blommor, frukost på sängen eller något alldeles eget – vi har idéerna.'],
        headline: 'Fira mamma, {{ first_name }}',
        intro:
          'Mors dag är en fin chans att säga tack till någon som betyder mycket. Här är några idéer som gör dagen lite extra.',
        closing: 'Hoppas ni får en fin dag tillsammans!',
        cta: { label: 'Hitta en present till mamma', style: 'solid' },
        funFactIntro: 'Visste du? {{ fun_fact }}',
      },
    },
    da: {
      informal: {
        subjects: ['Har du styr på mors dag, {{ first_name }}?', 'En lille hilsen til mor'],
        preheaders: ['Buketter, chokolade og små overraskelser, der får mor til at smile.'],
        headline: 'Giv mor en god dag, {{ first_name }}',
        intro:
          'Mors dag er en oplagt anledning til at sige tak til en, der betyder meget. Her er et par idéer, der gør dagen lidt ekstra festlig.',
        closing: 'Vi håber, I får en dejlig dag sammen!',
        cta: { label: 'Find en gave til mor', style: 'solid' },
        funFactIntro: 'Vidste du det? {{ fun_fact }}',
      },
    },
    en: {
      informal: {
        subjects: ['Mother’s Day is nearly here, {{ first_name }}', 'Something lovely for Mum?'],
        preheaders: ['Flowers, breakfast in bed or something all her own – we’ve got ideas.'],
        headline: 'Make Mum’s day, {{ first_name }}',
        intro:
          'Mother’s Day is a lovely chance to thank someone who means a lot. Here are a few ideas to make the day extra special.',
        closing: 'We hope you have a lovely day together!',
        cta: { label: 'Find a gift for Mum', style: 'solid' },
        funFactIntro: 'Did you know? {{ fun_fact }}',
      },
    },
  },
  'fathers-day': {
    sv: {
      informal: {
        subjects: ['Fars dag närmar sig, {{ first_name }}', 'Något fint till pappa?'],
        preheaders: ['Från verktyg till vinylskivor – idéer för alla sorters pappor.'],
        headline: 'Hylla pappa, {{ first_name }}',
        intro:
          'På fars dag får pappa stå i centrum en stund. Här är några idéer på presenter som säger tack på riktigt.',
        closing: 'Hoppas ni får en riktigt fin dag!',
        cta: { label: 'Hitta en present till pappa', style: 'solid' },
        funFactIntro: 'Visste du? {{ fun_fact }}',
      },
    },
    da: {
      informal: {
        subjects: ['Har du fundet en gave til far, {{ first_name }}?', 'Fars dag: gør det til hans dag'],
        preheaders: ['Gode idéer til far – uanset om han griller, læser eller løber.'],
        headline: 'Fejr far, {{ first_name }}',
        intro: 'På fars dag er det far, der er i centrum. Her er nogle gaveidéer, der siger tak på den rigtige måde.',
        closing: 'Rigtig god fars dag!',
        cta: { label: 'Find en gave til far', style: 'solid' },
        funFactIntro: 'Vidste du det? {{ fun_fact }}',
      },
    },
    en: {
      informal: {
        subjects: ['Father’s Day is coming up, {{ first_name }}', 'Something special for Dad?'],
        preheaders: ['From tools to records – ideas for every kind of dad.'],
        headline: 'Here’s to Dad, {{ first_name }}',
        intro: 'On Father’s Day, Dad gets the spotlight. Here are a few gift ideas that say thank you properly.',
        closing: 'Have a great Father’s Day!',
        cta: { label: 'Find a gift for Dad', style: 'solid' },
        funFactIntro: 'Did you know? {{ fun_fact }}',
      },
    },
  },
  // Sweden dances round the maypole on Midsummer Eve; Denmark lights bonfires on Sankthansaften.
  midsummer: {
    sv: {
      informal: {
        subjects: ['Glad midsommar, {{ first_name }}!', 'Sill, jordgubbar och ljusa nätter – nu är det midsommar'],
        preheaders: ['Allt till midsommarbordet, från färskpotatis till jordgubbstårta.'],
        headline: 'Dags för midsommar, {{ first_name }}!',
        intro:
          'Midsommarafton är årets ljusaste fest. Här är allt du behöver för dukningen, dansen kring stången och de långa kvällarna i det gröna.',
        closing: 'Ha en riktigt härlig midsommar!',
        cta: { label: 'Fixa midsommarbordet', style: 'solid' },
        funFactIntro: 'Midsommarkuriosa: {{ fun_fact }}',
      },
    },
    da: {
      informal: {
        subjects: ['God sankthans, {{ first_name }}!', 'Bål, grill og lyse nætter – det er sankthans'],
        preheaders: ['Alt til sankthansaften – fra pølser på grillen til kaffe på kanden.'],
        headline: 'Tænd op for sankthans, {{ first_name }}!',
        intro:
          'Sankthansaften er sommerens lyseste aften med bål, fællessang og lange lyse timer. Her er alt, hvad du skal bruge til festen.',
        closing: 'God sankthansaften!',
        cta: { label: 'Gør klar til sankthans', style: 'solid' },
        funFactIntro: 'Vidste du det? {{ fun_fact }}',
      },
    },
    en: {
      informal: {
        subjects: ['Happy Midsummer, {{ first_name }}!', 'Long light evenings – Midsummer is here'],
        preheaders: ['Everything for the lightest night of the year, maypole or bonfire.'],
        headline: 'Midsummer is here, {{ first_name }}!',
        intro:
          'Whether you dance round the maypole on Midsummer Eve or gather by the Sankthans bonfire, here’s everything for the lightest night of the year.',
        closing: 'Enjoy the light summer night!',
        cta: { label: 'Get ready for Midsummer', style: 'solid' },
        funFactIntro: 'Did you know? {{ fun_fact }}',
      },
    },
  },
  christmas: {
    sv: {
      informal: {
        subjects: ['God jul, {{ first_name }}!', 'Allt för en riktigt god jul'],
        preheaders: ['Skinka, pepparkakor och klappar – vi har det mesta till julafton.'],
        headline: 'God jul, {{ first_name }}!',
        intro:
          'Julen är här, med allt vad den innebär av mys, mat och klappar. Här är några erbjudanden som gör förberedelserna lite lättare.',
        closing: 'God jul och gott nytt år från oss alla!',
        cta: { label: 'Fixa julen', style: 'solid' },
        funFactIntro: 'Julkuriosa: {{ fun_fact }}',
      },
    },
    da: {
      informal: {
        subjects: ['Glædelig jul, {{ first_name }}!', 'Alt til en rigtig hyggelig jul'],
        preheaders: ['Flæskesteg, risalamande og gaver – vi har det meste til juleaften.'],
        headline: 'Glædelig jul, {{ first_name }}!',
        intro:
          'Julen er over os med hygge, god mad og gaver under træet. Her er nogle tilbud, der gør forberedelserne lidt lettere.',
        closing: 'Glædelig jul og godt nytår fra os alle!',
        cta: { label: 'Gør klar til jul', style: 'solid' },
        funFactIntro: 'Vidste du det? {{ fun_fact }}',
      },
    },
    en: {
      informal: {
        subjects: ['Merry Christmas, {{ first_name }}!', 'Everything for a cosy Christmas'],
        preheaders: ['Food, treats and gifts – everything for Christmas Eve and beyond.'],
        headline: 'Merry Christmas, {{ first_name }}!',
        intro:
          'Christmas is here, with all the food, warmth and presents that come with it. Here are a few offers to make the preparations a little easier.',
        closing: 'Merry Christmas and a Happy New Year from all of us!',
        cta: { label: 'Get ready for Christmas', style: 'solid' },
        funFactIntro: 'Did you know? {{ fun_fact }}',
      },
    },
  },
};
