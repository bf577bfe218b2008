# Pages de Tessera, français.

## Toutes les pages
page-title = { $title } · { $product }

## Connexion
login-title = Connexion
login-lead = pour continuer vers { $app }
login-username = Nom d’utilisateur
login-password = Mot de passe
login-show-password = Afficher le mot de passe
login-submit = Se connecter
login-not-you = Ce n’est pas vous ? Utiliser un autre compte
signin-error-failed = Le nom d’utilisateur ou le mot de passe est incorrect. Vérifiez-les et réessayez.
signin-error-throttled = Trop de tentatives de connexion échouées. Réessayez dans { $seconds ->
        [one] 1 seconde
       *[other] { $seconds } secondes
    }.
signin-error-throttled-minutes = Trop de tentatives de connexion échouées. Réessayez dans { $minutes ->
        [one] 1 minute
       *[other] { $minutes } minutes
    }.
signin-error-disabled = Ce compte est désactivé. Demandez à l’administrateur de { $product } de le réactiver.

## Consentement
consent-title = Autoriser l’accès ?
consent-lead = { $app } souhaite :
consent-signed-in-as = Connecté en tant que { $user }.
consent-not-you = Ce n’est pas vous ? Utiliser un autre compte
consent-allow = Autoriser
consent-deny = Refuser
consent-raw-scopes = Ce que l’application a demandé, tel quel (pour les développeurs)
consent-change-later = Vous pourrez modifier ce choix plus tard sur la page de votre compte.
consent-app-site = À propos de { $app }
consent-policy = Politique de confidentialité
consent-terms = Conditions d’utilisation
consent-logo = Logo de { $app }
scope-openid = Savoir qui vous êtes (un identifiant stable, le même à chaque connexion)
scope-profile = Voir votre nom, votre nom d’utilisateur et les autres informations de votre profil
scope-email = Voir votre adresse e-mail
scope-address = Voir votre adresse postale
scope-phone = Voir votre numéro de téléphone
scope-offline_access = Rester connectée à votre compte après votre déconnexion ici
scope-groups = Voir les noms des groupes dont vous êtes membre
scope-api = Utiliser d’autres services en votre nom ({ $count ->
        [one] une autorisation
       *[other] { $count } autorisations
    })

## Page d’erreur
error-title-refused = Cette demande de connexion ne peut pas aboutir
error-what-refused = L’application qui vous a envoyé ici a fait une demande que ce serveur ne peut pas accepter. Vous n’avez rien fait de travers.
error-title-expired = Cette page a expiré
error-what-expired = La connexion a pris trop de temps, ou elle a déjà été terminée dans un autre onglet.
error-title-server = Un problème est survenu de notre côté
error-what-server = Le serveur n’a pas pu traiter votre demande.
error-title-unavailable = Service momentanément indisponible
error-what-unavailable = Le service ne peut pas répondre pour le moment.
error-todo = Ce que vous pouvez faire
error-todo-back = Revenez à l’application et recommencez.
error-todo-retry = Patientez un instant, puis réessayez.
error-todo-contact = Si le problème persiste, communiquez à l’administrateur l’identifiant d’erreur ci-dessous.
error-id = Identifiant d’erreur
error-details = Détails techniques (pour le développeur de l’application)
error-code = Code d’erreur
error-description = Description

## Déconnexion
logout-title = Se déconnecter ?
logout-asks = { $app } demande à vous déconnecter de { $product }.
logout-about = Vous êtes sur le point de vous déconnecter de { $product }.
logout-signed-in-as = Connecté en tant que { $user }. Les applications auxquelles vous vous êtes connecté via { $product } en sont informées.
logout-submit = Se déconnecter
logged-out-title = Vous êtes déconnecté
logged-out-lead = Vous pouvez fermer cette page.
logged-out-back = Retour à { $app }

## Retour à l’application (form post)
form-post-title = Retour à l’application
form-post-heading = Retour à l’application…
form-post-noscript = JavaScript est désactivé : continuez manuellement.
form-post-continue = Continuer

## Page d’accueil (GET /)
landing-lead = { $product } est le service de connexion de ce site : les applications vous envoient ici pour vous connecter, puis vous y revenez connecté.
landing-account = Gérer votre compte
landing-fresh-title = Prochaines étapes pour l’administrateur
landing-fresh-body = Aucune application n’est encore enregistrée. Sur le serveur, ajoutez un utilisateur et une application avec ces commandes, puis suivez le guide pas à pas du README :
landing-health = Le serveur fonctionne.

# Second factor (TOTP or a recovery code) after the password.
otp-title = Validation en deux étapes
otp-lead = Saisissez le code à 6 chiffres de votre application d’authentification pour continuer vers { $app }.
otp-code = Code
otp-hint = Appareil perdu ? Saisissez plutôt l’un de vos codes de récupération.
otp-submit = Valider
signin-error-wrong-code = Ce code est incorrect ou a déjà été utilisé. Attendez le code suivant dans votre application et réessayez.
signin-error-second-factor-missing = Cette connexion exige un second facteur (une application d’authentification) et votre compte n’en a pas. Demandez à l’administrateur de { $product } d’en configurer un.

# Invitation links (tessera user invite): set the first password.
invite-title = Configurer votre compte
invite-lead = Bienvenue, { $username }. Choisissez un mot de passe pour votre compte { $product } ; vous serez connecté dès qu’il sera défini.
invite-password = Nouveau mot de passe
invite-password-hint = Au moins 8 caractères ; quelques mots sans rapport entre eux en font un solide.
invite-confirm = Répétez le mot de passe
invite-submit = Définir le mot de passe et se connecter
invite-error-mismatch = Les deux mots de passe diffèrent. Saisissez deux fois le même mot de passe.
invite-error-weak = Ce mot de passe est trop court ou trop facile à deviner. Choisissez-en un plus long, par exemple quelques mots sans rapport.
invite-gone = Ce lien d’invitation a expiré ou a déjà été utilisé. Demandez-en un nouveau à l’administrateur.

# The account page (/account).
account-title = Votre compte
account-signed-out = Vous n’êtes pas connecté. Connectez-vous pour gérer votre compte.
account-profile = Profil
account-username = Nom d’utilisateur
account-name = Nom
account-email = E-mail
account-picture = Photo (une adresse https)
account-profile-save = Enregistrer le profil
account-second-factor = Validation en deux étapes
account-totp-on = Une application d’authentification est configurée. Codes de récupération restants : { $count }.
account-totp-off = Non configurée. Avec une application d’authentification, un mot de passe volé ne suffit pas pour se connecter.
account-totp-add = Configurer une application d’authentification
account-totp-remove = Retirer l’application d’authentification
account-recovery-regenerate = Créer de nouveaux codes de récupération
account-sessions = Où vous êtes connecté
account-session-line = Connecté le { $started }, vu le { $seen }, applications : { $apps }
account-session-current = Ce navigateur
account-session-end = Se déconnecter
account-sessions-end-all = Se déconnecter partout
account-session-device = { $browser } sous { $os }
account-session-client = { $device } · adresse { $address }
account-session-unknown = inconnu
account-reauth = Votre mot de passe (pour confirmer que c’est vous)
account-error-password = Le mot de passe est incorrect.
account-error-code = Ce code est incorrect. Vérifiez l’heure de votre appareil et saisissez le code affiché maintenant.
account-back = Retour à votre compte
totp-setup-title = Configurer une application d’authentification
totp-setup-lead = Scannez ce code QR avec votre application d’authentification, ou saisissez-y la clé, puis entrez le code à 6 chiffres qu’elle affiche.
totp-setup-qr = Code QR pour votre application d’authentification
totp-setup-key = Clé
totp-setup-submit = Activer
recovery-title = Vos codes de récupération
recovery-lead = Conservez ces codes en lieu sûr : chacun sert une fois, à la place d’un code de votre application. Ils ne sont affichés que maintenant.
account-apps = Applications connectées
account-apps-none = Aucune application n’a accès à votre compte.
account-app-line = { $app } : autorisé { $scope } ; connexions actives : { $grants }
account-app-revoke = Révoquer l’accès
account-password = Mot de passe
account-password-current = Mot de passe actuel
account-password-submit = Changer le mot de passe
account-sign-in-code-hint = Seulement si vous avez activé la validation en deux étapes : le code de votre application, ou un code de récupération.

# Issue 12: a client restricted to groups (--allowed-groups)
no-access-title = Vous n'avez pas accès à cette application
no-access-lead = Votre compte { $user } n'est pas autorisé à utiliser { $app }.
no-access-todo = Si vous pensez devoir y avoir accès, demandez à votre administrateur de vous ajouter au bon groupe.
no-access-back = Retour à { $app }

device-title = Connecter un appareil
device-lead = Saisissez le code affiché sur votre appareil (un téléviseur, une console, un outil en ligne de commande) pour le connecter à votre compte.
device-lead-confirm = Vérifiez qu’il s’agit bien du code affiché sur votre appareil, puis continuez.
device-code = Code
device-code-hint = Huit lettres, telles qu’affichées sur l’appareil ; le tiret et la casse n’ont pas d’importance.
device-submit = Continuer
device-error-unknown = Ce code n’est pas valide. Il a peut-être expiré ou déjà été utilisé ; vérifiez l’appareil et réessayez.
device-error-throttled = Trop de codes erronés depuis ce réseau. Patientez quelques minutes, puis réessayez.
device-approved-title = Appareil connecté
device-approved-lead = Vous pouvez fermer cette page et revenir à votre appareil ; il continue tout seul.
device-denied-title = Appareil non connecté
device-denied-lead = L’appareil n’obtient aucun accès. Vous pouvez fermer cette page.

## Passkeys (issue 11)
passkey-or = ou
passkey-sign-in = Se connecter avec une clé d’accès
passkey-verify = Utiliser une clé d’accès
signin-error-passkey = La clé d’accès n’a pas été acceptée. Réessayez ou utilisez votre mot de passe.
account-passkeys = Clés d’accès
account-passkeys-none = Aucune clé d’accès pour l’instant. Une clé d’accès vous connecte avec le verrouillage d’écran de votre appareil, sans mot de passe.
account-passkey-name = Nom
account-passkey-rename = Renommer
account-passkey-remove = Supprimer
account-passkey-add = Ajouter une clé d’accès
account-passkey-line = ajoutée { $created }, dernière utilisation { $used }
account-passkey-line-synced = ajoutée { $created }, dernière utilisation { $used }, synchronisée entre appareils
account-error-passkey = La clé d’accès n’a pas été ajoutée. Réessayez.
account-error-last-credential = C’est votre seul moyen de connexion (ni mot de passe ni autre clé d’accès) : elle est conservée. Ajoutez d’abord une autre clé d’accès ou définissez un mot de passe.
account-error-profile = Ce nom ou cette adresse de photo ne peut pas être utilisé : la photo doit être une adresse http ou https.
invite-passkey = Utiliser plutôt une clé d’accès et se connecter
account-reauth-passkey = Confirmer votre identité avec une clé d’accès
passkey-lead = Confirmez avec votre clé d’accès pour continuer vers { $app }.

## The admin pages (/admin)
admin-title = Administration
admin-nav-users = Utilisateurs
admin-nav-groups = Groupes
admin-nav-clients = Applications
admin-nav-keys = Clés de signature
admin-nav-audit = Journal d’audit
admin-signed-in-as = Connecté en tant que { $user }
admin-sign-out = Se déconnecter
admin-denied-title = Pas d’accès à l’administration
admin-denied-lead = { $user } n’est pas membre du groupe admins. Un administrateur peut vous ajouter avec cette commande :
admin-denied-sign-out = Se connecter avec un autre compte
admin-restart-title = La connexion n’a pas abouti
admin-restart-lead = La connexion a pris trop de temps ou a été commencée dans un autre navigateur. Recommencez.
admin-restart-button = Se reconnecter
admin-error-title = Cela n’a pas fonctionné
admin-back = Retour
admin-never = Jamais
admin-users-title = Utilisateurs
admin-users-search = Rechercher
admin-users-search-label = Nom d’utilisateur, e-mail ou nom
admin-users-none = Aucun utilisateur ne correspond.
admin-field-username = Nom d’utilisateur
admin-field-email = E-mail
admin-field-name = Nom
admin-col-status = État
admin-col-last-login = Dernière connexion
admin-status-active = Actif
admin-status-disabled = Désactivé
admin-users-create = Créer un utilisateur
admin-users-create-help = L’utilisateur choisit son mot de passe grâce à un lien d’invitation, créé sur sa page et affiché une seule fois.
admin-create = Créer
admin-user-disable = Désactiver
admin-user-enable = Activer
admin-user-invite = Créer un lien d’invitation
admin-user-invite-shown = Lien d’invitation (affiché seulement maintenant ; il fonctionne une fois) :
admin-user-sessions-end = Fermer toutes les sessions
admin-user-no-groups = Membre d’aucun groupe.
admin-user-add-group = Ajouter au groupe
admin-add = Ajouter
admin-remove = Retirer
admin-groups-title = Groupes
admin-groups-create = Créer un groupe
admin-field-group-name = Nom
admin-field-description = Description
admin-group-members = Membres
admin-group-no-members = Pas encore de membre.
admin-group-add-member = Ajouter un membre (nom d’utilisateur)
admin-clients-title = Applications
admin-client-new-title = Enregistrer une application
admin-field-client-id = Identifiant client
admin-field-client-id-help = Un nom court que l’application envoie comme client_id : lettres, chiffres, points, - et _.
admin-field-client-name = Nom affiché
admin-field-client-name-help = Affiché sur les pages de connexion et de consentement.
admin-field-client-type = Type
admin-field-client-type-help = Confidentielle : une application côté serveur qui peut garder un secret. Publique : une application monopage ou mobile, qui ne le peut pas ; elle utilise toujours PKCE.
admin-type-confidential = Confidentielle (côté serveur)
admin-type-public = Publique (navigateur ou mobile)
admin-field-redirect-uris = URI de redirection
admin-field-redirect-uris-help = Une par ligne. Tessera ne renvoie le navigateur que vers celles-ci, comparées exactement (https, ou http sur localhost).
admin-field-scope = Scopes supplémentaires
admin-field-scope-help = Scopes d’API en plus de openid, profile et email, séparés par des espaces ; laissez vide en cas de doute.
admin-field-skip-consent = Application interne : ne pas demander de consentement
admin-client-secret-shown = Secret client (affiché seulement maintenant ; Tessera n’en garde que le hachage) :
admin-client-issuer = Émetteur
admin-client-endpoints = Points de terminaison
admin-client-snippet = Configuration pour une bibliothèque OpenID Connect
admin-client-snippet-help = La plupart des bibliothèques n’ont besoin que de l’émetteur : elles lisent les points de terminaison dans son document de découverte.
admin-doctor-title = Docteur d’intégration
admin-doctor-lead = Les requêtes échouées récentes de l’application, chacune expliquée avec sa correction.
admin-doctor-none = Aucune requête échouée récemment.
admin-doctor-fix = Correction :
admin-keys-title = Clés de signature
admin-col-kid = Identifiant de clé
admin-col-state = État
admin-col-created = Créée
admin-col-age = Âge
admin-keys-rotate = Faire tourner maintenant
admin-keys-rotate-help = La clé suivante devient la clé courante ; les jetons signés avec l’ancienne restent valides jusqu’à leur expiration.
admin-age-days = { $days ->
        [one] 1 jour
       *[other] { $days } jours
    }
admin-audit-title = Journal d’audit
admin-audit-filter = Filtrer
admin-field-since = Du (UTC)
admin-field-until = Au (UTC)
admin-field-user = Utilisateur (subject)
admin-field-client = Application (identifiant client)
admin-field-event = Type d’événement
admin-col-time = Heure
admin-col-actor = Acteur
admin-col-detail = Détail
admin-audit-none = Aucun événement ne correspond.
admin-audit-older = Événements plus anciens
admin-confirm-title = Êtes-vous sûr ?
admin-cancel = Annuler
admin-confirm-user-delete = Supprimer l’utilisateur { $name } ? Ses sessions se terminent, les applications auxquelles il s’est connecté perdent leurs autorisations, et le compte ne peut pas être restauré.
admin-confirm-user-mfa-reset = Retirer tous les seconds facteurs et clés d’accès de { $name } ? Ne le faites qu’après avoir vérifié par un autre moyen qui le demande : jusqu’à un nouvel enregistrement, son mot de passe seul suffit pour se connecter.
admin-confirm-client-delete = Supprimer le client { $name } ? Tout ce qui lui a été délivré cesse de fonctionner aussitôt, et l’application ne peut plus connecter personne.
admin-confirm-key-revoke = Révoquer la clé de signature { $name } ? Elle quitte aussitôt les clés publiées, et aucun jeton qu’elle a signé ne se vérifie plus.
admin-confirm-group-delete = Supprimer le groupe { $name } ? Ses membres le quittent, et les applications qui le reçoivent dans les jetons ne le voient plus.
admin-confirm-admins-warning = admins est le groupe des administrateurs : le supprimer retire les pages d’administration à tout le monde, vous compris, jusqu’à ce que quelqu’un lance `tessera group add admins` et y ajoute des membres.
admin-user-delete = Supprimer l’utilisateur
admin-user-mfa-reset = Réinitialiser les seconds facteurs
admin-user-sessions = Sessions
admin-user-no-sessions = Aucune session n’est ouverte.
admin-col-signed-in = Connexion
admin-col-last-seen = Dernière activité
admin-col-clients = Applications
admin-col-device = Appareil
admin-session-end = Fermer cette session
admin-client-edit = Modifier
admin-client-edit-title = Modifier le client
admin-save = Enregistrer
admin-client-delete = Supprimer le client
admin-client-rotate = Renouveler le secret
admin-client-rotate-help = Le nouveau secret s’affiche une seule fois, sur la page suivante. L’ancien continue de fonctionner pendant le chevauchement choisi, pour redéployer l’application sans interruption.
admin-field-overlap = L’ancien secret reste valable pendant
admin-overlap-none = Aucune durée : il cesse maintenant
admin-overlap-hour = 1 heure
admin-overlap-day = 1 jour
admin-overlap-week = 7 jours
admin-client-secret-overlap = L’ancien secret fonctionne encore jusqu’au { $until }.
admin-key-revoke = Révoquer
admin-group-delete = Supprimer le groupe
admin-stale = Quelqu’un a modifié ceci depuis que vous avez ouvert le formulaire : rien n’a été enregistré. Rouvrez-le pour voir les valeurs actuelles, puis refaites votre modification.
