# Pagina's van Tessera, Nederlands.

## Alle pagina's
page-title = { $title } · { $product }

## Inloggen
login-title = Inloggen
login-lead = om verder te gaan naar { $app }
login-username = Gebruikersnaam
login-password = Wachtwoord
login-show-password = Wachtwoord tonen
login-submit = Inloggen
login-not-you = Niet u? Een ander account gebruiken
signin-error-failed = De gebruikersnaam of het wachtwoord is onjuist. Controleer beide en probeer het opnieuw.
signin-error-throttled = Te veel mislukte inlogpogingen. Probeer het over { $seconds ->
        [one] 1 seconde
       *[other] { $seconds } seconden
    } opnieuw.
signin-error-throttled-minutes = Te veel mislukte inlogpogingen. Probeer het over { $minutes ->
        [one] 1 minuut
       *[other] { $minutes } minuten
    } opnieuw.
signin-error-disabled = Dit account is uitgeschakeld. Vraag de beheerder van { $product } om het weer in te schakelen.

## Toestemming
consent-title = Toegang geven?
consent-lead = { $app } wil graag:
consent-signed-in-as = Ingelogd als { $user }.
consent-not-you = Niet u? Een ander account gebruiken
consent-allow = Toestaan
consent-deny = Weigeren
consent-raw-scopes = Wat de applicatie letterlijk heeft gevraagd (voor ontwikkelaars)
consent-change-later = U kunt deze keuze later wijzigen op uw accountpagina.
consent-app-site = Over { $app }
consent-policy = Privacybeleid
consent-terms = Gebruiksvoorwaarden
consent-logo = Logo van { $app }
scope-openid = Weten wie u bent (een vaste id, bij elke aanmelding dezelfde)
scope-profile = Uw naam, gebruikersnaam en andere profielgegevens zien
scope-email = Uw e-mailadres zien
scope-address = Uw postadres zien
scope-phone = Uw telefoonnummer zien
scope-offline_access = Verbonden blijven met uw account nadat u hier bent uitgelogd
scope-groups = De namen zien van de groepen waar je lid van bent
scope-api = Andere diensten namens u gebruiken ({ $count ->
        [one] één machtiging
       *[other] { $count } machtigingen
    })

## Foutpagina
error-title-refused = Dit inlogverzoek kan niet worden afgerond
error-what-refused = De applicatie die u hierheen stuurde, deed een verzoek dat deze server niet kan accepteren. U hebt niets verkeerd gedaan.
error-title-expired = Deze pagina is verlopen
error-what-expired = Het inloggen duurde te lang, of het is al afgerond in een ander tabblad.
error-title-server = Er ging bij ons iets mis
error-what-server = De server kon uw verzoek niet afhandelen.
error-title-unavailable = Tijdelijk niet beschikbaar
error-what-unavailable = De dienst kan op dit moment niet antwoorden.
error-todo = Wat u kunt doen
error-todo-back = Ga terug naar de applicatie en begin opnieuw.
error-todo-retry = Wacht even en probeer het dan opnieuw.
error-todo-contact = Blijft het gebeuren, geef de beheerder dan de foutcode hieronder door.
error-id = Foutcode
error-details = Technische details (voor de ontwikkelaar van de applicatie)
error-code = Soort fout
error-description = Beschrijving

## Uitloggen
logout-title = Uitloggen?
logout-asks = { $app } vraagt u uit te loggen bij { $product }.
logout-about = U staat op het punt uit te loggen bij { $product }.
logout-signed-in-as = Ingelogd als { $user }. De applicaties waarbij u via { $product } bent ingelogd, krijgen bericht.
logout-submit = Uitloggen
logged-out-title = U bent uitgelogd
logged-out-lead = U kunt deze pagina nu sluiten.
logged-out-back = Terug naar { $app }

## Terug naar de applicatie (form post)
form-post-title = Terug naar de applicatie
form-post-heading = Terug naar de applicatie…
form-post-noscript = JavaScript staat uit: ga met de hand verder.
form-post-continue = Doorgaan

## Startpagina (GET /)
landing-lead = { $product } is de inlogdienst van deze site: applicaties sturen u hierheen om in te loggen, en daarna gaat u ingelogd naar ze terug.
landing-account = Uw account beheren
landing-fresh-title = Volgende stappen voor de beheerder
landing-fresh-body = Er is nog geen applicatie geregistreerd. Voeg op de server met deze opdrachten een gebruiker en een applicatie toe en volg daarna de stapsgewijze uitleg in de README:
landing-health = De server draait.

# Second factor (TOTP or a recovery code) after the password.
otp-title = Verificatie in twee stappen
otp-lead = Voer de 6-cijferige code uit je authenticator-app in om verder te gaan naar { $app }.
otp-code = Code
otp-hint = Apparaat kwijt? Voer in plaats daarvan een van je herstelcodes in.
otp-submit = Verifiëren
signin-error-wrong-code = Deze code is onjuist of al gebruikt. Wacht op de volgende code in je app en probeer het opnieuw.
signin-error-second-factor-missing = Voor deze aanmelding is een tweede factor (een authenticator-app) nodig en je account heeft er geen. Vraag de beheerder van { $product } er een in te stellen.

# Invitation links (tessera user invite): set the first password.
invite-title = Je account instellen
invite-lead = Welkom, { $username }. Kies een wachtwoord voor je { $product }-account; zodra het is ingesteld, ben je aangemeld.
invite-password = Nieuw wachtwoord
invite-password-hint = Minstens 8 tekens; een paar losse woorden vormen een sterk wachtwoord.
invite-confirm = Herhaal het wachtwoord
invite-submit = Wachtwoord instellen en aanmelden
invite-error-mismatch = De twee wachtwoorden verschillen. Typ twee keer hetzelfde wachtwoord.
invite-error-weak = Dit wachtwoord is te kort of te makkelijk te raden. Kies een langer wachtwoord, bijvoorbeeld een paar losse woorden.
invite-gone = Deze uitnodigingslink is verlopen of al gebruikt. Vraag de beheerder om een nieuwe.

# The account page (/account).
account-title = Je account
account-signed-out = Je bent niet aangemeld. Meld je aan om je account te beheren.
account-profile = Profiel
account-username = Gebruikersnaam
account-name = Naam
account-email = E-mail
account-picture = Afbeelding (een https-adres)
account-profile-save = Profiel opslaan
account-second-factor = Verificatie in twee stappen
account-totp-on = Er is een authenticator-app ingesteld. Resterende herstelcodes: { $count }.
account-totp-off = Niet ingesteld. Met een authenticator-app is een gestolen wachtwoord niet genoeg om aan te melden.
account-totp-add = Authenticator-app instellen
account-totp-remove = Authenticator-app verwijderen
account-recovery-regenerate = Nieuwe herstelcodes maken
account-sessions = Waar je bent aangemeld
account-session-line = Aangemeld { $started }, laatst gezien { $seen }, applicaties: { $apps }
account-session-current = Deze browser
account-session-end = Afmelden
account-sessions-end-all = Overal afmelden
account-session-device = { $browser } op { $os }
account-session-client = { $device } · adres { $address }
account-session-unknown = onbekend
account-reauth = Je wachtwoord (om te bevestigen dat jij het bent)
account-error-password = Het wachtwoord is onjuist.
account-error-code = Deze code is onjuist. Controleer de tijd op je apparaat en typ de code die je app nu toont.
account-back = Terug naar je account
totp-setup-title = Authenticator-app instellen
totp-setup-lead = Scan deze QR-code met je authenticator-app, of typ de sleutel in de app, en voer dan de 6-cijferige code in die de app toont.
totp-setup-qr = QR-code voor je authenticator-app
totp-setup-key = Sleutel
totp-setup-submit = Inschakelen
recovery-title = Je herstelcodes
recovery-lead = Bewaar deze codes op een veilige plek: elke code werkt één keer, in plaats van een code uit je app. Ze worden alleen nu getoond.
account-apps = Gekoppelde applicaties
account-apps-none = Geen enkele applicatie heeft toegang tot je account.
account-app-line = { $app }: toegestaan { $scope }; actieve aanmeldingen: { $grants }
account-app-revoke = Toegang intrekken
account-password = Wachtwoord
account-password-current = Huidig wachtwoord
account-password-submit = Wachtwoord wijzigen
account-sign-in-code-hint = Alleen als je verificatie in twee stappen hebt ingesteld: de code uit je app, of een herstelcode.

# Issue 12: a client restricted to groups (--allowed-groups)
no-access-title = Je hebt geen toegang tot deze toepassing
no-access-lead = Je account { $user } mag { $app } niet gebruiken.
no-access-todo = Denk je dat je toegang zou moeten hebben, vraag dan je beheerder je aan de juiste groep toe te voegen.
no-access-back = Terug naar { $app }

device-title = Apparaat koppelen
device-lead = Voer de code in die uw apparaat toont (een tv, een console, een opdrachtregelprogramma) om het aan uw account te koppelen.
device-lead-confirm = Controleer of dit de code is die uw apparaat toont en ga dan verder.
device-code = Code
device-code-hint = Acht letters, zoals op het apparaat getoond; het streepje en hoofd- of kleine letters maken niet uit.
device-submit = Doorgaan
device-error-unknown = Deze code is niet geldig. Hij is misschien verlopen of al gebruikt; controleer het apparaat en probeer het opnieuw.
device-error-throttled = Te veel verkeerde codes vanaf dit netwerk. Wacht een paar minuten en probeer het dan opnieuw.
device-approved-title = Apparaat gekoppeld
device-approved-lead = U kunt deze pagina sluiten en teruggaan naar uw apparaat; het gaat vanzelf verder.
device-denied-title = Apparaat niet gekoppeld
device-denied-lead = Het apparaat krijgt geen toegang. U kunt deze pagina sluiten.

## Passkeys (issue 11)
passkey-or = of
passkey-sign-in = Inloggen met een passkey
passkey-verify = Een passkey gebruiken
signin-error-passkey = De passkey is niet geaccepteerd. Probeer het opnieuw of gebruik uw wachtwoord.
account-passkeys = Passkeys
account-passkeys-none = Nog geen passkey. Met een passkey logt u in met de schermvergrendeling van uw apparaat, zonder wachtwoord.
account-passkey-name = Naam
account-passkey-rename = Hernoemen
account-passkey-remove = Verwijderen
account-passkey-add = Een passkey toevoegen
account-passkey-line = toegevoegd { $created }, laatst gebruikt { $used }
account-passkey-line-synced = toegevoegd { $created }, laatst gebruikt { $used }, gesynchroniseerd tussen apparaten
account-error-passkey = De passkey is niet toegevoegd. Probeer het opnieuw.
account-error-last-credential = Dit is uw enige manier om in te loggen (geen wachtwoord en geen andere passkey), dus deze blijft. Voeg eerst een andere passkey toe of stel een wachtwoord in.
account-error-profile = Die naam of dat afbeeldingsadres kan niet worden gebruikt: de afbeelding moet een http- of https-adres zijn.
invite-passkey = In plaats daarvan een passkey gebruiken en inloggen
account-reauth-passkey = Bevestig met een passkey dat u het bent
passkey-lead = Bevestig met uw passkey om door te gaan naar { $app }.

## The admin pages (/admin)
admin-title = Beheer
admin-nav-users = Gebruikers
admin-nav-groups = Groepen
admin-nav-clients = Applicaties
admin-nav-keys = Ondertekeningssleutels
admin-nav-audit = Auditlog
admin-signed-in-as = Aangemeld als { $user }
admin-sign-out = Afmelden
admin-denied-title = Geen toegang tot beheer
admin-denied-lead = { $user } is geen lid van de groep admins. Een beheerder kan je toevoegen met deze opdracht:
admin-denied-sign-out = Aanmelden als iemand anders
admin-restart-title = Het aanmelden is niet voltooid
admin-restart-lead = Het aanmelden duurde te lang of is in een andere browser begonnen. Begin opnieuw.
admin-restart-button = Opnieuw aanmelden
admin-error-title = Dat is niet gelukt
admin-back = Terug
admin-never = Nooit
admin-users-title = Gebruikers
admin-users-search = Zoeken
admin-users-search-label = Gebruikersnaam, e-mail of naam
admin-users-none = Geen gebruiker gevonden.
admin-field-username = Gebruikersnaam
admin-field-email = E-mail
admin-field-name = Naam
admin-col-status = Status
admin-col-last-login = Laatst aangemeld
admin-status-active = Actief
admin-status-disabled = Uitgeschakeld
admin-users-create = Een gebruiker aanmaken
admin-users-create-help = De gebruiker kiest zelf een wachtwoord via een uitnodigingslink, gemaakt op de pagina van de gebruiker en één keer getoond.
admin-create = Aanmaken
admin-user-disable = Uitschakelen
admin-user-enable = Inschakelen
admin-user-invite = Een uitnodigingslink maken
admin-user-invite-shown = Uitnodigingslink (alleen nu zichtbaar; werkt één keer):
admin-user-sessions-end = Alle sessies beëindigen
admin-user-no-groups = Geen lid van een groep.
admin-user-add-group = Aan groep toevoegen
admin-add = Toevoegen
admin-remove = Verwijderen
admin-groups-title = Groepen
admin-groups-create = Een groep aanmaken
admin-field-group-name = Naam
admin-field-description = Beschrijving
admin-group-members = Leden
admin-group-no-members = Nog geen leden.
admin-group-add-member = Een lid toevoegen (gebruikersnaam)
admin-clients-title = Applicaties
admin-client-new-title = Een applicatie registreren
admin-field-client-id = Client-ID
admin-field-client-id-help = Een korte naam die de applicatie als client_id stuurt: letters, cijfers, punten, - en _.
admin-field-client-name = Weergavenaam
admin-field-client-name-help = Getoond op de aanmeld- en toestemmingspagina’s.
admin-field-client-type = Type
admin-field-client-type-help = Vertrouwelijk: een applicatie aan de serverkant die een geheim kan bewaren. Openbaar: een single-page- of mobiele applicatie, die dat niet kan; die gebruikt altijd PKCE.
admin-type-confidential = Vertrouwelijk (serverkant)
admin-type-public = Openbaar (browser of mobiel)
admin-field-redirect-uris = Redirect-URI’s
admin-field-redirect-uris-help = Eén per regel. Tessera stuurt de browser alleen hierheen terug, exact vergeleken (https, of http op localhost).
admin-field-scope = Extra scopes
admin-field-scope-help = API-scopes naast openid, profile en email, gescheiden door spaties; laat leeg bij twijfel.
admin-field-skip-consent = Eigen applicatie: geen toestemming vragen
admin-client-secret-shown = Clientgeheim (alleen nu zichtbaar; Tessera bewaart alleen de hash):
admin-client-issuer = Uitgever
admin-client-endpoints = Endpoints
admin-client-snippet = Configuratie voor een OpenID Connect-bibliotheek
admin-client-snippet-help = De meeste bibliotheken hebben alleen de uitgever nodig: ze lezen de endpoints uit het discoverydocument.
admin-doctor-title = Integratiedokter
admin-doctor-lead = De recente mislukte verzoeken van de applicatie, elk uitgelegd met de oplossing.
admin-doctor-none = Geen mislukte verzoeken de laatste tijd.
admin-doctor-fix = Oplossing:
admin-keys-title = Ondertekeningssleutels
admin-col-kid = Sleutel-ID
admin-col-state = Status
admin-col-created = Aangemaakt
admin-col-age = Leeftijd
admin-keys-rotate = Nu roteren
admin-keys-rotate-help = De volgende sleutel wordt de huidige; tokens die met de oude zijn ondertekend blijven geldig tot ze verlopen.
admin-age-days = { $days ->
        [one] 1 dag
       *[other] { $days } dagen
    }
admin-audit-title = Auditlog
admin-audit-filter = Filteren
admin-field-since = Van (UTC)
admin-field-until = Tot (UTC)
admin-field-user = Gebruiker (subject)
admin-field-client = Applicatie (client-ID)
admin-field-event = Gebeurtenistype
admin-col-time = Tijd
admin-col-actor = Actor
admin-col-detail = Details
admin-audit-none = Geen gebeurtenis gevonden.
admin-audit-older = Oudere gebeurtenissen
admin-confirm-title = Weet u het zeker?
admin-cancel = Annuleren
admin-confirm-user-delete = Gebruiker { $name } verwijderen? De sessies eindigen, de applicaties waarbij deze gebruiker was aangemeld verliezen hun machtigingen, en het account kan niet worden hersteld.
admin-confirm-user-mfa-reset = Alle tweede factoren en passkeys van { $name } verwijderen? Doe dit pas als u langs een andere weg hebt gecontroleerd wie erom vraagt: tot ze opnieuw worden ingesteld, volstaat het wachtwoord alleen om aan te melden.
admin-confirm-client-delete = Client { $name } verwijderen? Alles wat eraan is uitgegeven, werkt meteen niet meer, en de applicatie kan niemand meer aanmelden.
admin-confirm-key-revoke = Ondertekeningssleutel { $name } intrekken? Hij verdwijnt meteen uit de gepubliceerde sleutels, en geen enkel token dat ermee is ondertekend, is nog te controleren.
admin-confirm-group-delete = Groep { $name } verwijderen? De leden verlaten de groep, en applicaties die haar in tokens ontvangen, zien haar niet meer.
admin-confirm-admins-warning = admins is de groep van de beheerders: wie haar verwijdert, neemt iedereen de beheerpagina's af, uzelf ook, tot iemand `tessera group add admins` uitvoert en weer leden toevoegt.
admin-user-delete = Gebruiker verwijderen
admin-user-mfa-reset = Tweede factoren herstellen
admin-user-sessions = Sessies
admin-user-no-sessions = Er is geen sessie open.
admin-col-signed-in = Aangemeld
admin-col-last-seen = Laatst actief
admin-col-clients = Applicaties
admin-col-device = Apparaat
admin-session-end = Deze sessie beëindigen
admin-client-edit = Bewerken
admin-client-edit-title = Client bewerken
admin-save = Opslaan
admin-client-delete = Client verwijderen
admin-client-rotate = Geheim vernieuwen
admin-client-rotate-help = Het nieuwe geheim wordt één keer getoond, op de volgende pagina. Het oude blijft werken tijdens de gekozen overlap, zodat de applicatie zonder onderbreking opnieuw kan worden uitgerold.
admin-field-overlap = Oud geheim blijft geldig gedurende
admin-overlap-none = Geen tijd: het stopt nu
admin-overlap-hour = 1 uur
admin-overlap-day = 1 dag
admin-overlap-week = 7 dagen
admin-client-secret-overlap = Het oude geheim werkt nog tot { $until }.
admin-key-revoke = Intrekken
admin-group-delete = Groep verwijderen
admin-stale = Iemand heeft dit gewijzigd sinds u het formulier opende, dus er is niets opgeslagen. Open het opnieuw om de huidige waarden te zien en breng dan uw wijziging aan.
