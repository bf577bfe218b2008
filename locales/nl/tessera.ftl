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

# Issue 12: a client restricted to groups (--allowed-groups)
no-access-title = Je hebt geen toegang tot deze toepassing
no-access-lead = Je account { $user } mag { $app } niet gebruiken.
no-access-todo = Denk je dat je toegang zou moeten hebben, vraag dan je beheerder je aan de juiste groep toe te voegen.
no-access-back = Terug naar { $app }
