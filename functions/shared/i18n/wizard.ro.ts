import type { WizardKey } from './wizard.en';

// Mesajele expertului în limba română. Formulările urmează documentul sursă
// (../shared/seeds/webex-suite-provisioning.ro.txt). Aceleași chei ca wizard.en.ts.

export const wizardRo: Record<WizardKey, string> = {
  'app.title': 'Configurarea abonamentului Webex',
  'app.skip': 'Salt la conținutul principal',
  'app.order': 'Comanda {orderId}',
  'app.language': 'Limba',
  'app.footer':
    'Ați primit această pagină într-un e-mail deoarece sunteți persoana de contact pentru asigurarea accesului la această comandă. Nu distribuiți adresa ei.',
  'lang.en': 'English',
  'lang.ro': 'Română',

  'progress.label': 'Pași',
  'progress.orderFor': 'Destinatarul comenzii',
  'progress.partner': 'Organizația parteneră',
  'progress.customer': 'Organizația clientului',
  'progress.review': 'Revizuire',
  'progress.services': 'Servicii',
  'progress.done': 'Gata',
  'progress.current': 'pasul curent',
  'progress.completed': 'finalizat',

  'common.next': 'Următorul',
  'common.change': 'Modificare',
  'common.close': 'Închidere',
  'common.continue': 'Continuare',
  'common.yes': 'Da',
  'common.no': 'Nu',

  'errors.summaryTitle': 'Există o problemă',
  'errors.summaryIntro': 'Corectați următoarele, apoi încercați din nou:',
  'error.required': 'Acest câmp este obligatoriu.',
  'error.choose': 'Alegeți una dintre opțiuni.',
  'error.email': 'Introduceți o adresă de e-mail validă, de exemplu nume@exemplu.ro.',
  'error.sameEmail': 'Introduceți adresa de e-mail a altei persoane decât dvs.',
  'error.tooShort':
    'Introduceți cel puțin {min, plural, one {# caracter} few {# caractere} other {# de caractere}}.',
  'error.tooLong':
    'Introduceți cel mult {max, plural, one {# caracter} few {# caractere} other {# de caractere}}.',
  'error.siteChars': 'Folosiți doar litere mici, cifre și cratime.',
  'error.siteEnds': 'Numele trebuie să înceapă și să se termine cu o literă sau o cifră.',
  'error.siteDoubleHyphen': 'Nu folosiți două cratime la rând.',
  'error.siteTaken': 'Acest nume de site este deja folosit. Alegeți altul.',
  'error.siteDuplicate': 'Un alt site din această comandă folosește acest nume.',
  'error.timeZone': 'Alegeți un fus orar din listă.',
  'error.licenseMin': 'Alocați cel puțin o licență fiecărui site.',
  'error.licenseSum': 'Licențele trebuie să însumeze {quantity} (acum {total}).',
  'error.number': 'Introduceți un număr întreg.',
  'error.postalCode': 'Introduceți un cod poștal valid pentru această țară sau regiune.',
  'error.country': 'Alegeți o țară sau o regiune din listă.',
  'error.domain': 'Introduceți un domeniu, de exemplu exemplu.ro.',
  'error.chooseOrg': 'Alegeți o organizație.',
  'error.invalid': 'Verificați această valoare.',
  'error.controlChars': 'Eliminați trecerile la rând nou, tabulatoarele și alte caractere de control.',
  'error.tooManySites':
    'Puteți adăuga cel mult {max, plural, one {# site} few {# site-uri} other {# de site-uri}}.',

  'orderFor.title': 'Pentru cine este această comandă?',
  'orderFor.intro':
    'Alegeți dacă această comandă este destinată clientului dvs. sau propriei organizații. Recomandăm partenerilor să furnizeze servicii în numele clientului, astfel încât partenerul să poată sprijini clientul chiar și după finalizarea configurării.',
  'orderFor.legend': 'Această comandă este',
  'orderFor.customer': 'Această comandă este pentru un client',
  'orderFor.customerHint':
    'Sistemul vă verifică adresa de e-mail (e-mailul de contact pentru asigurarea accesului) în raport cu organizațiile Webex existente pentru a găsi organizația dvs. parteneră, apoi pe cea a clientului.',
  'orderFor.myCompany': 'Această comandă este pentru compania mea',
  'orderFor.myCompanyHint':
    'Sistemul vă verifică adresa de e-mail (e-mailul de contact pentru asigurarea accesului) în raport cu organizațiile Webex existente pentru a găsi propria organizație.',
  'orderFor.someoneElse': 'Doresc ca altcineva să finalizeze această comandă',
  'orderFor.someoneElseHint':
    'Persoana respectivă primește un e-mail cu propriul link pentru a finaliza comanda, iar linkul dvs. nu va mai funcționa.',
  'orderFor.email': 'Adresa de e-mail a persoanei care va finaliza comanda',
  'orderFor.emailHint': 'Necesară doar dacă altcineva finalizează această comandă.',
  'orderFor.services': 'Servicii achiziționate',

  'partner.title': 'Mapați-vă către o organizație parteneră',
  'partner.intro':
    'Primul pas în procesul de furnizare este maparea abonamentului la o organizație parteneră.',
  'customer.title': 'Mapați către o organizație de clienți',
  'customer.intro': 'Acum mapați abonamentul la organizația client corectă.',
  'customer.introMyCompany': 'Mapați abonamentul la organizația companiei dvs.',
  'customer.adminEmailLegend': 'Administratorul clientului',
  'customer.adminEmailIntro':
    'Introduceți adresa de e-mail a administratorului clientului dvs. O verificăm în raport cu organizațiile client existente.',
  'customer.adminEmail': 'Adresa de e-mail a administratorului clientului',
  'customer.findOrg': 'Căutare organizație',
  'customer.adminEmailShown': 'Administratorul clientului: {email}',
  'customer.changeAdminEmail': 'Folosiți o altă adresă de e-mail',

  'org.associated': 'Pe baza adresei dvs. de e-mail, am asociat comanda dvs. cu organizația dvs.',
  'org.associatedAdmin':
    'Pe baza adresei de e-mail a administratorului clientului, am asociat comanda cu organizația acestuia.',
  'org.associatedHelp': 'Revizuiți informațiile organizației și faceți clic pe Următorul.',
  'org.matched': 'Am găsit organizații care se potrivesc pe baza adresei de e-mail.',
  'org.matchedHelp':
    'Adresa de e-mail nu corespunde niciunui cont, dar domeniul asociat aparține deja uneia sau mai multor organizații. Examinați cu atenție organizațiile și alegeți-o pe cea potrivită. Domeniile verificate sau revendicate, numărul de utilizatori activi și ultima activitate a utilizatorului vă pot ajuta: o organizație fără domenii verificate și fără activitate de utilizator în ultimul an probabil nu este cea potrivită.',
  'org.none': 'Nu s-a găsit nicio organizație care să se potrivească.',
  'org.noneHelpPartner':
    'Adresa de e-mail de contact pentru furnizare nu corespunde unei organizații partenere existente. Puteți crea o nouă organizație parteneră.',
  'org.noneHelpCustomer':
    'Adresa de e-mail nu corespunde unei organizații client existente. Puteți crea o nouă organizație de clienți.',
  'org.chooseLegend': 'Alegeți organizația',
  'org.domains': 'Domenii',
  'org.domainVerified': 'verificat',
  'org.domainClaimed': 'revendicat',
  'org.noDomains': 'Niciunul',
  'org.activeUsers': 'Utilizatori activi',
  'org.lastActivity': 'Ultima activitate a utilizatorului',
  'org.never': 'Nicio activitate încă',
  'org.unlikely': 'Probabil nu este organizația potrivită',
  'org.unlikelyWhy': 'Niciun domeniu verificat și nicio activitate de utilizator în ultimul an.',
  'org.verifiedMatch': 'Domeniu verificat',
  'org.searchTitle': 'Căutare după domeniu',
  'org.searchHelp':
    'Nu vedeți organizația potrivită? Căutați în toate organizațiile după un domeniu pe care îl folosesc.',
  'org.searchDomain': 'Domeniu',
  'org.searchDomainHint': 'De exemplu exemplu.ro',
  'org.searchButton': 'Căutare',
  'org.searchResults': 'Organizații care folosesc {domain}',
  'org.searchNone': 'Nicio organizație nu folosește {domain}.',
  'org.createTitle': 'Creați o organizație nouă',
  'org.createIntro':
    'Introduceți un nume de companie, o verticală de afaceri, o țară sau o regiune, apoi selectați Următorul.',
  'org.createInstead': 'Creați în schimb o organizație nouă',
  'org.name': 'Numele companiei',
  'org.vertical': 'Verticală de afaceri',
  'org.country': 'Țară sau regiune',
  'org.chooseVertical': 'Alegeți o verticală de afaceri',
  'org.chooseCountry': 'Alegeți o țară sau o regiune',
  'org.reviewTitle': 'Verificați noua organizație',
  'org.reviewIntroPartner':
    'Verificați dacă informațiile sunt corecte, apoi faceți clic pe Următorul pentru a găsi organizația clientului.',
  'org.reviewIntroCustomer':
    'Verificați dacă informațiile sunt corecte, apoi faceți clic pe Următorul pentru a continua.',

  'review.title': 'Revizuiți organizațiile',
  'review.intro':
    'Revizuiți detaliile acestor organizații. Dacă totul arată bine, faceți clic pe Următorul pentru a începe configurarea serviciilor.',
  'review.partnerOrg': 'Organizația parteneră',
  'review.customerOrg': 'Organizația clientului',
  'review.yourOrg': 'Organizația dvs.',
  'review.newOrg': 'Organizație nouă',
  'review.existingOrg': 'Organizație existentă',
  'review.adminEmail': 'Administratorul clientului',
  'review.yourRole': 'Rolul dvs.',
  'review.provisioningAdmin': 'Administrator pentru asigurarea accesului',
  'review.provisioningAdminHelp':
    'Furnizați abonamentul pentru un client existent, așa că organizația dvs. parteneră primește în organizația acestuia rolul limitat de administrator pentru asigurarea accesului. Dacă aveți nevoie de privilegii complete de administrator, finalizați mai întâi configurarea serviciului, apoi solicitați privilegii complete de administrator de la administratorul clientului.',
  'review.fullAdmin': 'Administrator complet',
  'review.fullAdminHelp':
    'Organizația dvs. parteneră a creat această organizație de clienți și o administrează cu privilegii complete.',
  'review.selfSetup': 'Clientul meu își va configura propriile servicii',
  'review.selfSetupHelp':
    'Trimitem un e-mail administratorului clientului ({email}) pentru a continua configurarea serviciului. Nu veți pierde accesul la organizația clientului.',

  'service.meetings': 'Webex Meetings',
  'service.calling': 'Webex Calling',
  'service.introTitle': 'Configurare {service}',
  'service.subscription': 'Abonamentul dvs.',
  'service.name': 'Serviciu',
  'service.subscriptionId': 'Abonament',
  'service.licenses': 'Licențe',
  'service.introHelp': 'Revizuiți-vă abonamentul și faceți clic pe Configurați acum.',
  'service.now': 'Configurați acum',
  'service.later': 'Configurați mai târziu',
  'service.laterHelp':
    'Dacă alegeți Configurați mai târziu, serviciul nu va fi furnizat. Puteți reveni cu linkul din cel mai recent e-mail până la expirarea comenzii.',
  'service.position': 'Serviciul {index} din {total}',
  'service.laterNotice': '{service} va fi configurat mai târziu.',
  'deferred.title': 'Servicii de configurat mai târziu',
  'deferred.intro':
    'Ați ales să configurați aceste servicii mai târziu, așa că nu sunt încă furnizate. Configurați-le acum sau reveniți mai târziu.',
  'deferred.doneTitle': 'Deja configurate',
  'deferred.provisioned': '{service}: furnizat în Webex pe {date}',
  'deferred.inProgress': '{service}: se furnizează acum în Webex',
  'deferred.comeBackTitle': 'Cum reveniți',
  'deferred.comeBack':
    'Deschideți din nou același link când sunteți pregătit: se află în e-mailul trimis la {email}. Până la expirarea comenzii, mementourile pe care vi le trimitem prin e-mail conțin același link.',

  'meetings.title': 'Configurare Webex Meetings',
  'meetings.intro':
    'Alegeți un nume URL Webex, fusul orar și dacă doriți ca site-ul să se afle într-un program de lansare timpurie.',
  'meetings.site': 'Site-ul {n}',
  'meetings.siteName': 'Adresa URL a site-ului Webex',
  'meetings.siteNameHint':
    'Litere mici, cifre și cratime, între {min} și {max, plural, one {# caracter} few {# caractere} other {# de caractere}}. Niciun alt site Webex nu îl poate folosi; verificăm când selectați Următorul.',
  'meetings.timeZone': 'Fus orar',
  'meetings.timeZoneHint':
    'Fusurile orare sunt grupate pe regiuni, fiecare cu decalajul actual și orașele principale.',
  'tz.choose': 'Alegeți un fus orar',
  'draft.offer': 'Ați completat deja ceva aici.',
  'draft.restore': 'Readuceți ce ați completat',
  'tz.filter': 'Căutați un fus orar după oraș, țară sau decalaj',
  'tz.noMatch': 'Niciun fus orar nu se potrivește',
  'tz.region.africa': 'Africa',
  'tz.region.northAmerica': 'America de Nord',
  'tz.region.southAmerica': 'America de Sud',
  'tz.region.antarctica': 'Antarctica',
  'tz.region.asia': 'Asia',
  'tz.region.europe': 'Europa',
  'tz.region.oceania': 'Oceania',
  'tz.region.other': 'Altele',
  'meetings.earlyRelease': 'Includeți site-ul în programul de lansare timpurie',
  'meetings.earlyReleaseHint':
    'Un site dintr-un program de lansare timpurie primește acces la caracteristici înainte de ciclul normal de implementare.',
  'meetings.licenses': 'Licențe pentru site-ul {n}',
  'meetings.addSite': 'Am nevoie de adrese URL suplimentare',
  'meetings.addSiteHint': 'Adaugă un alt site Webex la această comandă.',
  'meetings.removeSite': 'Eliminare site {n}',
  'meetings.splitTitle': 'Distribuiți licențele',
  'meetings.splitHelp':
    'Distribuiți {quantity, plural, one {licența achiziționată} few {cele # licențe achiziționate} other {cele # de licențe achiziționate}} pe site-urile necesare. Fiecare site are nevoie de cel puțin una.',
  'meetings.total':
    'Total: {total} din {quantity, plural, one {# licență} few {# licențe} other {# de licențe}}',
  'meetings.allLicenses':
    '{quantity, plural, one {Licența este alocată acestui site.} few {Toate cele # licențe sunt alocate acestui site.} other {Toate cele # de licențe sunt alocate acestui site.}}',
  'meetings.reviewTitle': 'Revizuire Webex Meetings',
  'meetings.reviewIntro': 'Revizuiți informațiile, apoi faceți clic pe Închidere pentru a furniza serviciul.',
  'review.closeHint': 'Butonul Închidere furnizează serviciul în Webex.',
  'meetings.earlyReleaseShort': 'Program de lansare timpurie',

  'calling.title': 'Configurare Webex Calling',
  'calling.intro':
    'Introduceți locația sediului principal. Puteți să modificați locația sau să adăugați mai multe locații după asigurarea accesului, în Control Hub.',
  'calling.countryFirst':
    'Selectați țara sau regiunea în care se află majoritatea utilizatorilor, apoi faceți clic pe Continuare: câmpurile adresei depind de ea.',
  'calling.locationName': 'Numele locației',
  'calling.country': 'Țara sau regiunea în care se află majoritatea utilizatorilor',
  'calling.changeCountry': 'Schimbați țara sau regiunea',
  'calling.street': 'Strada și numărul',
  'calling.city': 'Oraș',
  'calling.postalCode': 'Cod poștal',
  'calling.state': 'Stat',
  'calling.province': 'Provincie',
  'calling.county': 'Județ',
  'calling.timeZone': 'Fus orar',
  'calling.announcementLanguage': 'Limba anunțurilor',
  'calling.chooseLanguage': 'Alegeți o limbă',
  'calling.reviewTitle': 'Revizuire Webex Calling',
  'calling.reviewIntro': 'Revizuiți informațiile, apoi faceți clic pe Închidere pentru a furniza serviciul.',
  'calling.address': 'Adresă',

  'done.title': 'Comanda dvs. este configurată',
  'done.inWebex': 'Create în Webex (nume — ID Webex)',
  'precheck.webex': 'Webex: {message}',
  'done.intro': 'Toate serviciile comenzii {orderId} sunt furnizate. Vă mulțumim.',
  'done.setUp': 'Ce s-a configurat',
  'done.download': 'Descărcare rezumat comandă (PDF)',
  'done.downloadHelp':
    'Pentru evidența dvs.: comanda, organizațiile, setările fiecărui serviciu și cine a decis ce și când. Linkul de descărcare este valabil puțin timp; acest buton creează de fiecare dată unul nou.',
  'done.provisionedAt': 'Furnizat {date}',
  'done.summaryPending': 'Rezumatul comenzii este în pregătire. Reîncărcați pagina în câteva momente.',

  'stand.title': 'Stadiul comenzii',
  'stand.orderFor': 'Comanda este pentru',
  'stand.orderForCustomer': 'Un client',
  'stand.orderForMyCompany': 'Propria companie a persoanei de contact',
  'stand.notYet': 'Încă nu s-a ales',
  'stand.provisioned': 'Furnizat',
  'stand.waiting': 'Așteaptă configurarea',
  'stand.status': 'Stare',
  'status.received': 'Primită',
  'status.in-progress': 'În desfășurare',
  'status.completed': 'Finalizată',
  'status.cancelled': 'Anulată',
  'status.expired': 'Expirată',
  'status.failed': 'Eșuată',

  'page.invalidTitle': 'Acest link nu este valid',
  'page.invalidBody':
    'Verificați dacă ați copiat întreaga adresă din e-mail. Dacă tot nu funcționează, folosiți linkul din cel mai recent e-mail despre această comandă.',
  'page.notFoundTitle': 'Pagina nu a fost găsită',
  'page.notFoundBody': 'Nu există nicio pagină la această adresă.',
  'page.expiredTitle': 'Acest link a expirat',
  'page.expiredBody': 'Pentru siguranța dvs., linkurile de configurare funcționează un timp limitat.',
  'page.newLink': 'Trimiteți-mi un link nou',
  'page.newLinkHelp': 'Îl trimitem doar la adresa de e-mail înregistrată pentru această comandă.',
  'page.revokedTitle': 'Acest link nu mai funcționează',
  'page.revokedHandedBody':
    'Această comandă a fost transferată altei persoane, așa că acest link nu mai funcționează.',
  'page.revokedReplacedBody':
    'Un link mai nou l-a înlocuit pe acesta. Folosiți linkul din cel mai recent e-mail sau solicitați unul nou.',
  'page.handedOffTitle': 'Comanda a fost transmisă altei persoane',
  'page.handedOffBody':
    'Am trimis un e-mail către {email} cu un link pentru a finaliza comanda. Linkul dvs. nu mai funcționează și nu mai trebuie să faceți nimic.',
  'page.newLinkSentTitle': 'Verificați-vă e-mailul',
  'page.newLinkSentBody':
    'Dacă această comandă mai așteaptă informații, am trimis un link nou la adresa de e-mail înregistrată pentru ea. Poate dura câteva minute până sosește.',
  'page.handedTitle': 'Comanda este acum la altă persoană',
  'page.handedBody':
    'Comanda a fost transferată altei persoane, care a primit propriul link. Nu mai trebuie să faceți nimic.',
  'page.selfSetupTitle': 'Clientul dvs. își configurează serviciile',
  'page.selfSetupBody':
    'Ați permis administratorului clientului să își configureze propriile servicii, iar acesta a primit un link prin e-mail. Nu veți pierde accesul la organizația clientului.',
  'page.alreadyDoneTitle': 'Acest pas este deja finalizat',
  'page.alreadyDoneBody':
    'Acest formular a fost deja trimis, așa că nu s-a schimbat nimic. Iată stadiul comenzii.',
  'page.processingTitle': 'Lucrăm la comanda dvs.',
  'page.processingBody':
    'Răspunsul dvs. a fost salvat. Pregătim pasul următor; această pagină verifică din nou singură. Vă trimitem și un e-mail când avem nevoie de informații de la dvs.',
  'page.checkAgain': 'Verificați din nou',
  'page.cancelledTitle': 'Această comandă a fost anulată',
  'page.cancelledBody':
    'Comanda {orderId} a fost anulată, așa că nu mai poate fi configurată. Dacă credeți că este o greșeală, contactați agentul de vânzări cu care ați lucrat.',
  'page.orderExpiredTitle': 'Această comandă a expirat',
  'page.orderExpiredBody':
    'Comanda {orderId} a așteptat informații prea mult timp și a expirat. Contactați agentul de vânzări cu care ați lucrat pentru a o plasa din nou.',
  'page.failedTitle': 'Nu am putut finaliza această comandă',
  'page.failedBody':
    'Ceva nu a funcționat la configurarea comenzii {orderId}. Echipa noastră de operațiuni a fost anunțată și vă va contacta.',
  'page.stepExpiredTitle': 'Timpul pentru acest pas a expirat',
  'page.stepExpiredBody':
    'Pasul a așteptat prea mult și a expirat înainte să sosească răspunsul dvs., așa că nu a fost salvat. Un memento cu un link nou este pe drum spre adresa de e-mail înregistrată.',
  'page.forbiddenTitle': 'Acest formular nu a putut fi acceptat',
  'page.forbiddenBody':
    'Formularul nu a venit de pe această pagină de configurare sau pagina era depășită. Deschideți din nou pagina de configurare și repetați alegerea.',
  'page.notAllowedTitle': 'Acest pas nu este disponibil cu acest link',
  'page.notAllowedBody': 'Acest link este doar pentru configurarea serviciilor.',
  'page.errorTitle': 'Ceva nu a funcționat',
  'page.errorBody':
    'Nu am putut finaliza solicitarea dvs. și nu s-a schimbat nimic. Încercați din nou în câteva momente.',
  'page.tooManyTitle': 'Prea multe solicitări de la acest link',
  'page.tooManyBody':
    'Nu s-a schimbat nimic. Așteptați un minut, apoi deschideți din nou pagina de configurare.',
  'page.goToSetup': 'Mergeți la pagina de configurare',

  'vertical.education': 'Educație',
  'vertical.energy': 'Energie și utilități',
  'vertical.financial-services': 'Servicii financiare',
  'vertical.government': 'Administrație publică',
  'vertical.healthcare': 'Sănătate',
  'vertical.hospitality': 'Ospitalitate',
  'vertical.manufacturing': 'Producție',
  'vertical.media': 'Media și divertisment',
  'vertical.professional-services': 'Servicii profesionale',
  'vertical.retail': 'Comerț cu amănuntul',
  'vertical.technology': 'Tehnologie',
  'vertical.telecommunications': 'Telecomunicații',
  'vertical.transportation': 'Transport și logistică',
  'vertical.other': 'Altele',
};
