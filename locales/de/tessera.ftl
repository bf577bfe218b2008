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

# Second factor (TOTP or a recovery code) after the password.
otp-title = Bestätigung in zwei Schritten
otp-lead = Geben Sie den 6-stelligen Code aus Ihrer Authenticator-App ein, um mit { $app } fortzufahren.
otp-code = Code
otp-hint = Gerät verloren? Geben Sie stattdessen einen Ihrer Wiederherstellungscodes ein.
otp-submit = Bestätigen
signin-error-wrong-code = Dieser Code ist falsch oder wurde bereits verwendet. Warten Sie auf den nächsten Code in Ihrer App und versuchen Sie es erneut.
signin-error-second-factor-missing = Diese Anmeldung erfordert einen zweiten Faktor (eine Authenticator-App), und Ihr Konto hat keinen. Bitten Sie die Administration von { $product }, einen einzurichten.

# Invitation links (tessera user invite): set the first password.
invite-title = Konto einrichten
invite-lead = Willkommen, { $username }. Wählen Sie ein Passwort für Ihr { $product }-Konto; sobald es festgelegt ist, sind Sie angemeldet.
invite-password = Neues Passwort
invite-password-hint = Mindestens 8 Zeichen; einige zusammenhanglose Wörter ergeben ein starkes Passwort.
invite-confirm = Passwort wiederholen
invite-submit = Passwort festlegen und anmelden
invite-error-mismatch = Die beiden Passwörter unterscheiden sich. Geben Sie zweimal dasselbe Passwort ein.
invite-error-weak = Dieses Passwort ist zu kurz oder zu leicht zu erraten. Wählen Sie ein längeres, zum Beispiel einige zusammenhanglose Wörter.
invite-gone = Dieser Einladungslink ist abgelaufen oder wurde bereits verwendet. Bitten Sie die Administration um einen neuen.

# The account page (/account).
account-title = Ihr Konto
account-signed-out = Sie sind nicht angemeldet. Melden Sie sich an, um Ihr Konto zu verwalten.
account-profile = Profil
account-username = Benutzername
account-name = Name
account-email = E-Mail
account-picture = Bild (eine https-Adresse)
account-profile-save = Profil speichern
account-second-factor = Bestätigung in zwei Schritten
account-totp-on = Eine Authenticator-App ist eingerichtet. Verbleibende Wiederherstellungscodes: { $count }.
account-totp-off = Nicht eingerichtet. Mit einer Authenticator-App reicht ein gestohlenes Passwort nicht zur Anmeldung.
account-totp-add = Authenticator-App einrichten
account-totp-remove = Authenticator-App entfernen
account-recovery-regenerate = Neue Wiederherstellungscodes erstellen
account-sessions = Wo Sie angemeldet sind
account-session-line = Angemeldet { $started }, zuletzt gesehen { $seen }, Anwendungen: { $apps }
account-session-current = Dieser Browser
account-session-end = Abmelden
account-sessions-end-all = Überall abmelden
account-session-device = { $browser } unter { $os }
account-session-client = { $device } · Adresse { $address }
account-session-unknown = unbekannt
account-reauth = Ihr Passwort (zur Bestätigung, dass Sie es sind)
account-error-password = Das Passwort ist falsch.
account-error-code = Dieser Code ist falsch. Prüfen Sie die Uhrzeit Ihres Geräts und geben Sie den aktuell angezeigten Code ein.
account-back = Zurück zu Ihrem Konto
totp-setup-title = Authenticator-App einrichten
totp-setup-lead = Scannen Sie diesen QR-Code mit Ihrer Authenticator-App oder geben Sie den Schlüssel dort ein, und tragen Sie dann den angezeigten 6-stelligen Code ein.
totp-setup-qr = QR-Code für Ihre Authenticator-App
totp-setup-key = Schlüssel
totp-setup-submit = Einschalten
recovery-title = Ihre Wiederherstellungscodes
recovery-lead = Bewahren Sie diese Codes sicher auf: Jeder funktioniert einmal anstelle eines Codes aus Ihrer App. Sie werden nur jetzt angezeigt.
account-apps = Verbundene Anwendungen
account-apps-none = Keine Anwendung hat Zugriff auf Ihr Konto.
account-app-line = { $app }: erlaubt { $scope }; aktive Anmeldungen: { $grants }
account-app-revoke = Zugriff entziehen
account-password = Passwort
account-password-current = Aktuelles Passwort
account-password-submit = Passwort ändern
account-sign-in-code-hint = Nur wenn Sie die Bestätigung in zwei Schritten eingerichtet haben: der Code aus Ihrer App oder ein Wiederherstellungscode.

# Issue 12: a client restricted to groups (--allowed-groups)
no-access-title = Sie haben keinen Zugriff auf diese Anwendung
no-access-lead = Ihr Konto { $user } darf { $app } nicht verwenden.
no-access-todo = Wenn Sie Zugriff haben sollten, bitten Sie Ihre Administration, Sie der richtigen Gruppe hinzuzufügen.
no-access-back = Zurück zu { $app }

device-title = Gerät verbinden
device-lead = Geben Sie den Code ein, den Ihr Gerät anzeigt (ein Fernseher, eine Konsole, ein Kommandozeilenprogramm), um es mit Ihrem Konto zu verbinden.
device-lead-confirm = Prüfen Sie, ob dies der Code ist, den Ihr Gerät anzeigt, und fahren Sie dann fort.
device-code = Code
device-code-hint = Acht Buchstaben, wie auf dem Gerät angezeigt; Bindestrich sowie Groß- und Kleinschreibung spielen keine Rolle.
device-submit = Weiter
device-error-unknown = Dieser Code ist ungültig. Er ist vielleicht abgelaufen oder wurde schon verwendet; prüfen Sie das Gerät und versuchen Sie es erneut.
device-error-throttled = Zu viele falsche Codes aus diesem Netzwerk. Warten Sie einige Minuten und versuchen Sie es dann erneut.
device-approved-title = Gerät verbunden
device-approved-lead = Sie können diese Seite schließen und zu Ihrem Gerät zurückkehren; es macht von selbst weiter.
device-denied-title = Gerät nicht verbunden
device-denied-lead = Das Gerät erhält keinen Zugriff. Sie können diese Seite schließen.

## Passkeys (issue 11)
passkey-or = oder
passkey-sign-in = Mit einem Passkey anmelden
passkey-verify = Passkey verwenden
signin-error-passkey = Der Passkey wurde nicht akzeptiert. Versuchen Sie es erneut oder verwenden Sie Ihr Passwort.
account-passkeys = Passkeys
account-passkeys-none = Noch kein Passkey. Mit einem Passkey melden Sie sich über die Displaysperre Ihres Geräts an, ohne Passwort.
account-passkey-name = Name
account-passkey-rename = Umbenennen
account-passkey-remove = Entfernen
account-passkey-add = Passkey hinzufügen
account-passkey-line = hinzugefügt { $created }, zuletzt verwendet { $used }
account-passkey-line-synced = hinzugefügt { $created }, zuletzt verwendet { $used }, auf mehreren Geräten synchronisiert
account-error-passkey = Der Passkey wurde nicht hinzugefügt. Versuchen Sie es erneut.
account-error-last-credential = Dies ist Ihre einzige Anmeldemöglichkeit (kein Passwort und kein anderer Passkey) und bleibt daher bestehen. Fügen Sie zuerst einen weiteren Passkey hinzu oder legen Sie ein Passwort fest.
account-error-profile = Dieser Name oder diese Bildadresse ist nicht verwendbar: Das Bild muss eine http- oder https-Adresse sein.
invite-passkey = Stattdessen einen Passkey verwenden und anmelden
account-reauth-passkey = Mit einem Passkey bestätigen, dass Sie es sind
passkey-lead = Bestätigen Sie mit Ihrem Passkey, um mit { $app } fortzufahren.

## The admin pages (/admin)
admin-title = Verwaltung
admin-nav-users = Benutzer
admin-nav-groups = Gruppen
admin-nav-clients = Anwendungen
admin-nav-keys = Signaturschlüssel
admin-nav-audit = Audit-Protokoll
admin-signed-in-as = Angemeldet als { $user }
admin-sign-out = Abmelden
admin-denied-title = Kein Zugang zur Verwaltung
admin-denied-lead = { $user } ist kein Mitglied der Gruppe admins. Eine Administratorin oder ein Administrator kann Sie mit diesem Befehl hinzufügen:
admin-denied-sign-out = Als jemand anderes anmelden
admin-restart-title = Die Anmeldung wurde nicht abgeschlossen
admin-restart-lead = Die Anmeldung hat zu lange gedauert oder wurde in einem anderen Browser begonnen. Beginnen Sie erneut.
admin-restart-button = Erneut anmelden
admin-error-title = Das hat nicht funktioniert
admin-back = Zurück
admin-never = Nie
admin-users-title = Benutzer
admin-users-search = Suchen
admin-users-search-label = Benutzername, E-Mail oder Name
admin-users-none = Kein Benutzer gefunden.
admin-field-username = Benutzername
admin-field-email = E-Mail
admin-field-name = Name
admin-col-status = Status
admin-col-last-login = Letzte Anmeldung
admin-status-active = Aktiv
admin-status-disabled = Deaktiviert
admin-users-create = Benutzer anlegen
admin-users-create-help = Der Benutzer setzt sein Passwort selbst über einen Einladungslink, der auf seiner Seite erstellt und einmal angezeigt wird.
admin-create = Anlegen
admin-user-disable = Deaktivieren
admin-user-enable = Aktivieren
admin-user-invite = Einladungslink erstellen
admin-user-invite-shown = Einladungslink (nur jetzt sichtbar; er funktioniert einmal):
admin-user-sessions-end = Alle Sitzungen beenden
admin-user-no-groups = In keiner Gruppe.
admin-user-add-group = Zur Gruppe hinzufügen
admin-add = Hinzufügen
admin-remove = Entfernen
admin-groups-title = Gruppen
admin-groups-create = Gruppe anlegen
admin-field-group-name = Name
admin-field-description = Beschreibung
admin-group-members = Mitglieder
admin-group-no-members = Noch keine Mitglieder.
admin-group-add-member = Mitglied hinzufügen (Benutzername)
admin-clients-title = Anwendungen
admin-client-new-title = Anwendung registrieren
admin-field-client-id = Client-ID
admin-field-client-id-help = Ein kurzer Name, den die Anwendung als client_id sendet: Buchstaben, Ziffern, Punkte, - und _.
admin-field-client-name = Anzeigename
admin-field-client-name-help = Wird auf den Anmelde- und Zustimmungsseiten angezeigt.
admin-field-client-type = Typ
admin-field-client-type-help = Vertraulich: eine serverseitige Anwendung, die ein Geheimnis bewahren kann. Öffentlich: eine Single-Page- oder Mobil-Anwendung, die das nicht kann; sie verwendet immer PKCE.
admin-type-confidential = Vertraulich (serverseitig)
admin-type-public = Öffentlich (Browser oder Mobilgerät)
admin-field-redirect-uris = Weiterleitungs-URIs
admin-field-redirect-uris-help = Eine pro Zeile. Tessera leitet den Browser nur hierhin zurück, exakt verglichen (https, oder http auf localhost).
admin-field-scope = Zusätzliche Scopes
admin-field-scope-help = API-Scopes über openid, profile und email hinaus, durch Leerzeichen getrennt; im Zweifel leer lassen.
admin-field-skip-consent = Eigene Anwendung: nicht um Zustimmung fragen
admin-client-secret-shown = Client-Secret (nur jetzt sichtbar; Tessera speichert nur seinen Hash):
admin-client-issuer = Aussteller
admin-client-endpoints = Endpunkte
admin-client-snippet = Konfiguration für eine OpenID-Connect-Bibliothek
admin-client-snippet-help = Die meisten Bibliotheken brauchen nur den Aussteller: Sie lesen die Endpunkte aus seinem Discovery-Dokument.
admin-doctor-title = Integrationsdoktor
admin-doctor-lead = Die letzten fehlgeschlagenen Anfragen der Anwendung, jeweils mit der Lösung erklärt.
admin-doctor-none = Zuletzt keine fehlgeschlagene Anfrage.
admin-doctor-fix = Lösung:
admin-keys-title = Signaturschlüssel
admin-col-kid = Schlüssel-ID
admin-col-state = Zustand
admin-col-created = Erstellt
admin-col-age = Alter
admin-keys-rotate = Jetzt rotieren
admin-keys-rotate-help = Der nächste Schlüssel wird aktuell; mit dem alten signierte Token bleiben bis zu ihrem Ablauf gültig.
admin-age-days = { $days ->
        [one] 1 Tag
       *[other] { $days } Tage
    }
admin-audit-title = Audit-Protokoll
admin-audit-filter = Filtern
admin-field-since = Von (UTC)
admin-field-until = Bis (UTC)
admin-field-user = Benutzer (Subject)
admin-field-client = Anwendung (Client-ID)
admin-field-event = Ereignistyp
admin-col-time = Zeit
admin-col-actor = Akteur
admin-col-detail = Details
admin-audit-none = Kein Ereignis gefunden.
admin-audit-older = Ältere Ereignisse
admin-confirm-title = Sind Sie sicher?
admin-cancel = Abbrechen
admin-confirm-user-delete = Benutzer { $name } löschen? Die Sitzungen enden, die Anwendungen, bei denen er angemeldet war, verlieren ihre Berechtigungen, und das Konto lässt sich nicht wiederherstellen.
admin-confirm-user-mfa-reset = Alle zweiten Faktoren und Passkeys von { $name } entfernen? Tun Sie das nur, nachdem Sie auf anderem Weg geprüft haben, wer fragt: Bis zur erneuten Einrichtung genügt das Passwort allein zur Anmeldung.
admin-confirm-client-delete = Client { $name } löschen? Alles, was ihm ausgestellt wurde, hört sofort auf zu funktionieren, und die Anwendung kann niemanden mehr anmelden.
admin-confirm-key-revoke = Signaturschlüssel { $name } widerrufen? Er verschwindet sofort aus den veröffentlichten Schlüsseln, und kein damit signiertes Token lässt sich mehr prüfen.
admin-confirm-group-delete = Gruppe { $name } löschen? Ihre Mitglieder verlassen sie, und Anwendungen, die sie in Tokens weitergeben, sehen sie nicht mehr.
admin-confirm-admins-warning = admins ist die Gruppe der Administratoren: Wird sie gelöscht, verlieren alle den Zugang zu den Admin-Seiten, auch Sie, bis jemand `tessera group add admins` ausführt und wieder Mitglieder hinzufügt.
admin-user-delete = Benutzer löschen
admin-user-mfa-reset = Zweite Faktoren zurücksetzen
admin-user-sessions = Sitzungen
admin-user-no-sessions = Keine Sitzung ist offen.
admin-col-signed-in = Angemeldet
admin-col-last-seen = Zuletzt aktiv
admin-col-clients = Anwendungen
admin-col-device = Gerät
admin-session-end = Diese Sitzung beenden
admin-client-edit = Bearbeiten
admin-client-edit-title = Client bearbeiten
admin-save = Speichern
admin-client-delete = Client löschen
admin-client-rotate = Secret erneuern
admin-client-rotate-help = Das neue Secret wird einmal angezeigt, auf der nächsten Seite. Das alte funktioniert während der gewählten Übergangszeit weiter, damit die Anwendung ohne Unterbrechung neu ausgerollt werden kann.
admin-field-overlap = Altes Secret gilt weiter für
admin-overlap-none = Keine Zeit: es endet sofort
admin-overlap-hour = 1 Stunde
admin-overlap-day = 1 Tag
admin-overlap-week = 7 Tage
admin-client-secret-overlap = Das alte Secret funktioniert noch bis { $until }.
admin-key-revoke = Widerrufen
admin-group-delete = Gruppe löschen
admin-stale = Jemand hat dies geändert, seit Sie das Formular geöffnet haben; deshalb wurde nichts gespeichert. Öffnen Sie es erneut, um die aktuellen Werte zu sehen, und nehmen Sie dann Ihre Änderung vor.
