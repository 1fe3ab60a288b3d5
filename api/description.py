"""The OpenAPI document's introduction: what a warehouse must know before its first call
(shown at the top of /api/v1/docs). French: its readers are the network's partners."""

from django.utils.translation import gettext_lazy as _

DESCRIPTION = _(
    """API de lecture de Pas à pas : le réseau publie son agenda, ses lieux, ses fiches et
ses ateliers, et, avec une clé, ses structures, ses conseillers, ses activités (sans nom) et
ses statistiques.

Elle suit les conventions de l'API v1 de La Coop de la médiation numérique, pour qu'un
entrepôt de données qui lit La Coop lise Pas à pas de la même façon.

## Documents

Réponses au format JSON:API : `data` (liste d'objets `{type, id, attributes}`), `links`
(`self`, `next`) et `meta`. Une erreur répond `{"errors": [{status, code, title, detail,
source}]}`, en français, avec le paramètre en cause dans `source.parameter`.

## Clés et droits

Les agendas, lieux, fiches et ateliers sont ouverts, sans clé. Le reste demande une clé :
en-tête `Authorization: Bearer <identifiant>:<secret>`. La coordination du réseau crée les
clés dans l'administration (Paramètres › Clés d'API) ; le secret n'est affiché qu'une fois,
seule son empreinte est gardée. Chaque clé a des droits (`structures` : structures et
conseillers ; `activites` : activités sans nom ; `statistiques` : statistiques), une date
d'expiration éventuelle, et peut être liée à une structure : elle ne lit alors que les
données de cette structure. Clé absente, inconnue, expirée ou révoquée : 401. Droit
manquant : 403. Chaque appel avec une clé est inscrit au journal d'accès avec le nom du
client.

## Limites

Chaque clé a un nombre d'appels par minute (120 par défaut). Au-delà : 429, avec l'en-tête
`Retry-After` (secondes à attendre).

## Pagination et synchronisation

Les listes sont triées par date de dernière modification puis identifiant, de la plus
ancienne à la plus récente. `page[size]` : 100 éléments par défaut, 1 000 au plus.
`links.next` (ou `page[after]` = `meta.next_cursor`) donne la page suivante ; il est absent
à la dernière page. Pour une synchronisation incrémentale, gardez la plus récente
`modification` lue et repassez-la ensuite dans `filter[modification][depuis]` : vous
recevez ce qui a changé depuis (ISO 8601, par exemple `2026-09-01T08:30:00Z`). Un
paramètre `page[...]` ou `filter[...]` inconnu répond 400, pour qu'un filtre mal écrit ne
renvoie jamais tout.
"""
)
