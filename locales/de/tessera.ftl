# Tesseras Seiten, Deutsch.

## Alle Seiten
page-title = { $title } · { $product }

## Anmelden
login-title = Anmelden
login-lead = um mit { $app } fortzufahren
login-username = Benutzername
login-password = Passwort
login-show-password = Passwort anzeigen
login-submit = Anmelden
login-not-you = Nicht Sie? Mit einem anderen Konto anmelden
signin-error-failed = Benutzername oder Passwort ist falsch. Prüfen Sie beides und versuchen Sie es erneut.
signin-error-throttled = Zu viele fehlgeschlagene Anmeldeversuche. Versuchen Sie es in { $seconds ->
        [one] 1 Sekunde
       *[other] { $seconds } Sekunden
    } erneut.
signin-error-throttled-minutes = Zu viele fehlgeschlagene Anmeldeversuche. Versuchen Sie es in { $minutes ->
        [one] 1 Minute
       *[other] { $minutes } Minuten
    } erneut.
signin-error-disabled = Dieses Konto ist deaktiviert. Bitten Sie die Administration von { $product }, es wieder zu aktivieren.

## Zustimmung
consent-title = Zugriff erlauben?
consent-lead = { $app } möchte:
consent-signed-in-as = Angemeldet als { $user }.
consent-not-you = Nicht Sie? Mit einem anderen Konto anmelden
consent-allow = Erlauben
consent-deny = Ablehnen
consent-raw-scopes = Was die Anwendung wörtlich angefragt hat (für Entwickler)
consent-change-later = Sie können diese Entscheidung später auf Ihrer Kontoseite ändern.
consent-app-site = Über { $app }
consent-policy = Datenschutzerklärung
consent-terms = Nutzungsbedingungen
consent-logo = Logo von { $app }
scope-openid = Wissen, wer Sie sind (eine feste Kennung, bei jeder Anmeldung dieselbe)
scope-profile = Ihren Namen, Benutzernamen und weitere Profilangaben sehen
scope-email = Ihre E-Mail-Adresse sehen
scope-address = Ihre Postanschrift sehen
scope-phone = Ihre Telefonnummer sehen
scope-offline_access = Mit Ihrem Konto verbunden bleiben, nachdem Sie sich hier abgemeldet haben
scope-groups = Die Namen der Gruppen sehen, denen Sie angehören
scope-api = Andere Dienste in Ihrem Namen nutzen ({ $count ->
        [one] eine Berechtigung
       *[other] { $count } Berechtigungen
    })

## Fehlerseite
error-title-refused = Diese Anmeldeanfrage kann nicht abgeschlossen werden
error-what-refused = Die Anwendung, die Sie hierher geschickt hat, hat eine Anfrage gestellt, die dieser Server nicht annehmen kann. Sie haben nichts falsch gemacht.
error-title-expired = Diese Seite ist abgelaufen
error-what-expired = Die Anmeldung hat zu lange gedauert oder wurde bereits in einem anderen Tab abgeschlossen.
error-title-server = Bei uns ist etwas schiefgegangen
error-what-server = Der Server konnte Ihre Anfrage nicht ausführen.
error-title-unavailable = Vorübergehend nicht verfügbar
error-what-unavailable = Der Dienst kann gerade nicht antworten.
error-todo = Was Sie tun können
error-todo-back = Kehren Sie zur Anwendung zurück und beginnen Sie von vorn.
error-todo-retry = Warten Sie einen Moment und versuchen Sie es dann erneut.
error-todo-contact = Wenn es weiterhin passiert, nennen Sie der Administration die Fehlerkennung unten.
error-id = Fehlerkennung
error-details = Technische Details (für die Entwickler der Anwendung)
error-code = Fehlercode
error-description = Beschreibung

## Abmelden
logout-title = Abmelden?
logout-asks = { $app } möchte Sie von { $product } abmelden.
logout-about = Sie sind dabei, sich von { $product } abzumelden.
logout-signed-in-as = Angemeldet als { $user }. Die Anwendungen, bei denen Sie sich über { $product } angemeldet haben, werden benachrichtigt.
logout-submit = Abmelden
logged-out-title = Sie sind abgemeldet
logged-out-lead = Sie können diese Seite jetzt schließen.
logged-out-back = Zurück zu { $app }

## Rückkehr zur Anwendung (Form Post)
form-post-title = Zurück zur Anwendung
form-post-heading = Zurück zur Anwendung …
form-post-noscript = JavaScript ist ausgeschaltet: Fahren Sie von Hand fort.
form-post-continue = Weiter

## Startseite (GET /)
landing-lead = { $product } ist der Anmeldedienst dieser Website: Anwendungen schicken Sie zum Anmelden hierher, und Sie kehren angemeldet zu ihnen zurück.
landing-account = Ihr Konto verwalten
landing-fresh-title = Nächste Schritte für die Administration
landing-fresh-body = Es ist noch keine Anwendung registriert. Legen Sie auf dem Server mit diesen Befehlen einen Benutzer und eine Anwendung an und folgen Sie dann der Anleitung im README:
landing-health = Der Server läuft.

# Issue 12: a client restricted to groups (--allowed-groups)
no-access-title = Sie haben keinen Zugriff auf diese Anwendung
no-access-lead = Ihr Konto { $user } darf { $app } nicht verwenden.
no-access-todo = Wenn Sie Zugriff haben sollten, bitten Sie Ihre Administration, Sie der richtigen Gruppe hinzuzufügen.
no-access-back = Zurück zu { $app }
