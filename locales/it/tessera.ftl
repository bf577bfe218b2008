# Pagine di Tessera, italiano.

## Tutte le pagine
page-title = { $title } · { $product }

## Accesso
login-title = Accedi
login-lead = per continuare su { $app }
login-username = Nome utente
login-password = Password
login-show-password = Mostra password
login-submit = Accedi
login-not-you = Non sei tu? Usa un altro account
signin-error-failed = Il nome utente o la password non sono corretti. Controllali e riprova.
signin-error-throttled = Troppi tentativi di accesso non riusciti. Riprova tra { $seconds ->
        [one] 1 secondo
       *[other] { $seconds } secondi
    }.
signin-error-throttled-minutes = Troppi tentativi di accesso non riusciti. Riprova tra { $minutes ->
        [one] 1 minuto
       *[other] { $minutes } minuti
    }.
signin-error-disabled = Questo account è disattivato. Chiedi all’amministratore di { $product } di riattivarlo.

## Consenso
consent-title = Consentire l’accesso?
consent-lead = { $app } vorrebbe:
consent-signed-in-as = Accesso effettuato come { $user }.
consent-not-you = Non sei tu? Usa un altro account
consent-allow = Consenti
consent-deny = Rifiuta
consent-raw-scopes = Cosa ha chiesto l’applicazione, alla lettera (per gli sviluppatori)
consent-change-later = Potrai cambiare questa scelta in seguito nella pagina del tuo account.
consent-app-site = Informazioni su { $app }
consent-policy = Informativa sulla privacy
consent-terms = Termini di servizio
consent-logo = Logo di { $app }
scope-openid = Sapere chi sei (un identificativo stabile, lo stesso a ogni accesso)
scope-profile = Vedere il tuo nome, il nome utente e gli altri dati del profilo
scope-email = Vedere il tuo indirizzo email
scope-address = Vedere il tuo indirizzo postale
scope-phone = Vedere il tuo numero di telefono
scope-offline_access = Restare collegata al tuo account anche dopo che esci da qui
scope-groups = Vedere i nomi dei gruppi di cui fai parte
scope-api = Usare altri servizi per tuo conto ({ $count ->
        [one] un’autorizzazione
       *[other] { $count } autorizzazioni
    })

## Pagina di errore
error-title-refused = Questa richiesta di accesso non può essere completata
error-what-refused = L’applicazione che ti ha mandato qui ha fatto una richiesta che questo server non può accettare. Non hai sbagliato niente.
error-title-expired = Questa pagina è scaduta
error-what-expired = L’accesso ha richiesto troppo tempo, oppure è già stato completato in un’altra scheda.
error-title-server = Qualcosa è andato storto da parte nostra
error-what-server = Il server non è riuscito a completare la tua richiesta.
error-title-unavailable = Temporaneamente non disponibile
error-what-unavailable = Il servizio non può rispondere in questo momento.
error-todo = Cosa puoi fare
error-todo-back = Torna all’applicazione e ricomincia.
error-todo-retry = Aspetta un momento, poi riprova.
error-todo-contact = Se continua a succedere, comunica all’amministratore il codice di errore qui sotto.
error-id = Codice di errore
error-details = Dettagli tecnici (per chi sviluppa l’applicazione)
error-code = Tipo di errore
error-description = Descrizione

## Uscita
logout-title = Uscire?
logout-asks = { $app } chiede di farti uscire da { $product }.
logout-about = Stai per uscire da { $product }.
logout-signed-in-as = Accesso effettuato come { $user }. Le applicazioni a cui hai effettuato l’accesso tramite { $product } verranno avvisate.
logout-submit = Esci
logged-out-title = Sei uscito
logged-out-lead = Ora puoi chiudere questa pagina.
logged-out-back = Torna a { $app }

## Ritorno all’applicazione (form post)
form-post-title = Ritorno all’applicazione
form-post-heading = Ritorno all’applicazione…
form-post-noscript = JavaScript è disattivato: prosegui manualmente.
form-post-continue = Continua

## Pagina iniziale (GET /)
landing-lead = { $product } è il servizio di accesso di questo sito: le applicazioni ti mandano qui per accedere e poi torni da loro con l’accesso già effettuato.
landing-account = Gestisci il tuo account
landing-fresh-title = Prossimi passi per l’amministratore
landing-fresh-body = Non è ancora registrata nessuna applicazione. Sul server, aggiungi un utente e un’applicazione con questi comandi, poi segui la guida passo passo del README:
landing-health = Il server è in funzione.

# Issue 12: a client restricted to groups (--allowed-groups)
no-access-title = Non hai accesso a questa applicazione
no-access-lead = Il tuo account { $user } non è autorizzato a usare { $app }.
no-access-todo = Se pensi di dover avere accesso, chiedi al tuo amministratore di aggiungerti al gruppo giusto.
no-access-back = Torna a { $app }
