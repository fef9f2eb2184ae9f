import type { EmailMessageKey } from './emails.en';

// Romanian strings of every email, in the wording of the source document where it has one
// ("Informațiile de asigurare a accesului necesare pentru comandă", "Configurare serviciu",
// "Descărcare rezumat comandă (PDF)"). Formal address (dvs.), as the source uses.

export const emailsRo: Record<EmailMessageKey, string> = {
  'layout.brand': 'Asigurarea accesului la abonamentele Webex',
  'layout.greeting': 'Bună ziua, {name},',
  'layout.greetingAnonymous': 'Bună ziua,',
  'layout.linkFallback': 'Dacă butonul nu funcționează, copiați acest link în browser:',
  'layout.signature': 'Echipa de asigurare a accesului Webex',
  'layout.footer':
    'Acest e-mail se referă la comanda {orderId}. Dacă nu vă așteptați să îl primiți, îl puteți ignora.',
  'layout.automated': 'Acesta este un mesaj automat; răspunsurile nu sunt citite.',

  'fact.order': 'Comandă',
  'fact.services': 'Servicii',
  'fact.webex': 'Create în Webex',
  'fact.partner': 'Partener',
  'fact.customerOrg': 'Organizația clientului',
  'fact.partnerOrg': 'Organizația parteneră',
  'fact.handedOnBy': 'Transmisă de',
  'fact.failedAt': 'A eșuat la',
  'fact.step': 'Pasul în așteptare',
  'fact.linkExpires': 'Link valabil până la',
  'fact.reason': 'Motiv',
  'fact.error': 'Eroare',
  'fact.cause': 'Cauză',
  'fact.recipient': 'Contact',

  'service.meetings': 'Webex Meetings',
  'service.calling': 'Webex Calling',
  'service.withLicenses': '{service}: {licenses}',
  licenses: '{count, plural, one {# licență} few {# licențe} other {# de licențe}}',

  'step.order-for': 'Pentru cine este această comandă?',
  'step.partner-org': 'Organizația parteneră',
  'step.customer-org': 'Organizația clientului',
  'step.customer-review': 'Revizuirea organizației clientului',
  'step.service-meetings': 'Configurarea Webex Meetings',
  'step.service-calling': 'Configurarea Webex Calling',

  'action.setUp': 'Configurare serviciu',
  'action.continue': 'Continuare configurare',
  'action.download': 'Descărcare rezumat comandă (PDF)',

  'welcome.subject': 'Sunt necesare informațiile de asigurare a accesului pentru comanda {orderId}',
  'welcome.preheader': 'Configurați serviciile Webex ale comenzii {orderId}.',
  'welcome.heading': 'Informațiile de asigurare a accesului necesare',
  'welcome.intro':
    'Comanda dvs. {orderId} este pregătită pentru asigurarea accesului. Avem nevoie de câteva detalii pentru a configura serviciile Webex: cui îi este destinată comanda, organizațiile și setările fiecărui serviciu.',
  'welcome.partner': 'Comanda a fost plasată prin {partnerName}.',
  'welcome.cta':
    'Faceți clic pe Configurare serviciu pentru a începe. Vă puteți opri la orice pas și puteți reveni mai târziu prin acest link.',

  'handoff.subject': 'Comanda {orderId} v-a fost transmisă: informațiile de asigurare a accesului necesare',
  'handoff.preheader': '{fromEmail} v-a rugat să finalizați comanda {orderId}.',
  'handoff.heading': 'V-a fost transmisă o comandă',
  'handoff.intro': '{fromEmail} v-a rugat să finalizați asigurarea accesului pentru comanda {orderId}.',
  'handoff.cta':
    'Faceți clic pe Configurare serviciu pentru a începe. Linkul din acest e-mail vă aparține: linkurile trimise anterior pentru această comandă nu mai funcționează.',

  'selfSetup.subject': 'Continuați configurarea serviciilor pentru comanda {orderId}',
  'selfSetup.preheader': '{partnerOrgName} vă permite să configurați serviciile comenzii {orderId}.',
  'selfSetup.heading': 'Configurați-vă serviciile',
  'selfSetup.intro':
    '{partnerOrgName} a mapat comanda {orderId} la organizația dvs., {customerOrgName}, și vă permite să configurați singur serviciile.',
  'selfSetup.partnerAccess':
    'Partenerul dvs. își păstrează accesul la organizația dvs., astfel încât să vă poată sprijini în continuare.',
  'selfSetup.cta': 'Faceți clic pe Continuare configurare pentru a configura fiecare serviciu.',

  'reminder.subject': 'Memento: comanda {orderId} vă așteaptă',
  'reminder.preheader': 'Comanda {orderId} așteaptă la pasul: {step}.',
  'reminder.heading': 'Comanda dvs. vă așteaptă',
  'reminder.intro': 'Comanda {orderId} încă vă așteaptă la pasul: {step}.',
  'reminder.cta': 'Faceți clic pe Configurare serviciu pentru a continua de unde ați rămas.',
  'reminder.last': 'Acesta este ultimul memento: dacă pasul nu este finalizat la timp, comanda expiră.',
  'reminder.remaining':
    '{count, plural, one {Va mai urma # memento} few {Vor mai urma # mementouri} other {Vor mai urma # de mementouri}} înainte ca comanda să expire.',

  'expired.subject': 'Comanda {orderId} a expirat',
  'expired.preheader': 'Comanda {orderId} nu a fost finalizată la timp.',
  'expired.heading': 'Comanda dvs. a expirat',
  'expired.intro':
    'Comanda {orderId} nu a fost finalizată la timp și a expirat. Linkurile sale de configurare nu mai funcționează.',
  'expired.services': 'Serviciile care nu au fost configurate nu au fost furnizate.',
  'expired.next':
    'Pentru a continua, contactați agentul de vânzări cu care ați lucrat pentru a plasa comanda.',

  'cancelled.subject': 'Comanda {orderId} a fost anulată',
  'cancelled.preheader': 'Comanda {orderId} a fost anulată.',
  'cancelled.heading': 'Comanda dvs. a fost anulată',
  'cancelled.intro': 'Comanda {orderId} a fost anulată. Linkurile sale de configurare nu mai funcționează.',
  'cancelled.next':
    'Dacă nu vă așteptați la acest lucru, contactați agentul de vânzări cu care ați lucrat pentru a plasa comanda.',

  'complete.subject': 'Comanda {orderId} este configurată: rezumatul comenzii',
  'complete.preheader': 'Toate serviciile comenzii {orderId} sunt configurate.',
  'complete.heading': 'Serviciile dvs. sunt configurate',
  'complete.intro': 'Toate serviciile comenzii {orderId} sunt configurate.',
  'complete.cta': 'Descărcați o copie a rezumatului comenzii ca PDF pentru înregistrările dvs.',
  'complete.expiry': 'Linkul de descărcare funcționează până la {date}.',

  'opsFailure.subject': '[ops] Rularea de asigurare a accesului a eșuat pentru comanda {orderId} la „{step}”',
  'opsFailure.preheader': 'Rularea {orderId} a eșuat la {step}: {error}.',
  'opsFailure.heading': 'O rulare de asigurare a accesului a eșuat',
  'opsFailure.intro':
    'Rularea de asigurare a accesului pentru comanda {orderId} a eșuat, iar comanda este marcată ca eșuată. Numele execuției este identificatorul comenzii.',
  'opsFailure.next':
    'Deschideți execuția în consola Step Functions (sau în vizualizarea locală pentru operațiuni) pentru a vedea intrarea, ieșirea și eroarea fiecărui pas.',
};
