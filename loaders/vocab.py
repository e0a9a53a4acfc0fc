"""Namespaces and the terms the loaders emit, pre-rendered as N-Triples IRIs (``<...>``).

The terms themselves are defined (labels, comments, alignments) in ``ontology/earthcode.ttl``; a test checks that
every ``ec:`` term used here is declared there, so the two cannot drift apart.
"""

from __future__ import annotations

EC = "https://w3id.org/earthcode/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
DCT = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
PROV = "http://www.w3.org/ns/prov#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
FOAF = "http://xmlns.com/foaf/0.1/"
SCHEMA = "https://schema.org/"
GEO = "http://www.opengis.net/ont/geosparql#"
VCARD = "http://www.w3.org/2006/vcard/ns#"
ADMS = "http://www.w3.org/ns/adms#"
SPDX_LICENSES = "http://spdx.org/licenses/"

PREFIXES = {
    "ec": EC,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "dct": DCT,
    "dcat": DCAT,
    "prov": PROV,
    "skos": SKOS,
    "foaf": FOAF,
    "schema": SCHEMA,
    "geo": GEO,
    "vcard": VCARD,
    "adms": ADMS,
}


def _t(ns: str, local: str) -> str:
    return f"<{ns}{local}>"


A = _t(RDF, "type")

# Datatypes (bare IRIs: the literal writer adds the brackets).
XSD_STRING = XSD + "string"
XSD_DATETIME = XSD + "dateTime"
XSD_DATE = XSD + "date"
XSD_DOUBLE = XSD + "double"
XSD_INTEGER = XSD + "integer"
XSD_NON_NEGATIVE_INTEGER = XSD + "nonNegativeInteger"
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
XSD_BOOLEAN = XSD + "boolean"
XSD_ANYURI = XSD + "anyURI"
RDF_JSON = RDF + "JSON"
WKT = GEO + "wktLiteral"

# --- classes -------------------------------------------------------------------------------------------------------
C_SOURCE_DOCUMENT = _t(EC, "SourceDocument")
C_CATALOG = _t(EC, "Catalog")
C_TYPE_CATALOG = _t(EC, "TypeCatalog")
C_THEME = _t(EC, "Theme")
C_VARIABLE = _t(EC, "Variable")
C_EO_MISSION = _t(EC, "EOMission")
C_PROJECT = _t(EC, "Project")
C_PRODUCT = _t(EC, "Product")
C_PRODUCT_ITEM = _t(EC, "ProductItem")
C_WORKFLOW = _t(EC, "Workflow")
C_EXPERIMENT = _t(EC, "Experiment")
C_INPUT_CONFIGURATION = _t(EC, "InputConfiguration")
C_EXECUTION_ENVIRONMENT = _t(EC, "ExecutionEnvironment")
C_PARAMETER = _t(EC, "Parameter")
C_CONTACT = _t(EC, "Contact")
C_LINK = _t(EC, "Link")
C_ASSET = _t(EC, "Asset")
C_CONCEPT_SCHEME = _t(SKOS, "ConceptScheme")
C_LOCATION = _t(DCT, "Location")
C_PERIOD = _t(DCT, "PeriodOfTime")
C_GEOMETRY = _t(GEO, "Geometry")
C_ASSOCIATION = _t(PROV, "Association")

# --- source documents ------------------------------------------------------------------------------------------------
P_PRIMARY_TOPIC = _t(FOAF, "primaryTopic")
P_PATH = _t(EC, "path")
P_SOURCE = _t(DCT, "source")
P_CONTENT_HASH = _t(EC, "contentHash")
P_BYTE_SIZE = _t(DCAT, "byteSize")
P_MEDIA_TYPE = _t(DCAT, "mediaType")
P_LOAD_ERROR = _t(EC, "loadError")
P_LOAD_WARNING = _t(EC, "loadWarning")
P_DUPLICATE_KEY = _t(EC, "duplicateKey")
P_DUPLICATE_ENTRY = _t(EC, "duplicateEntry")
P_OSC_FIELD = _t(EC, "oscField")
P_LINE_ENDINGS = _t(EC, "lineEndings")

# --- common descriptive metadata -------------------------------------------------------------------------------------
P_IDENTIFIER = _t(DCT, "identifier")
P_TITLE = _t(DCT, "title")
P_DESCRIPTION = _t(DCT, "description")
P_KEYWORD = _t(DCAT, "keyword")
P_LICENSE = _t(DCT, "license")
P_LICENSE_ID = _t(EC, "licenseId")
P_CREATED = _t(DCT, "created")
P_MODIFIED = _t(DCT, "modified")
P_ISSUED = _t(DCT, "issued")
P_VERSION = _t(DCAT, "version")
P_CONFORMS_TO = _t(DCT, "conformsTo")
P_STAC_VERSION = _t(EC, "stacVersion")
P_STAC_TYPE = _t(EC, "stacType")
P_STAC_EXTENSION = _t(EC, "stacExtension")
P_RECORD_TYPE = _t(EC, "recordType")
P_OSC_TYPE = _t(EC, "oscType")
P_STATUS = _t(EC, "status")
P_REGION = _t(EC, "region")
P_DOI = _t(EC, "doi")
P_CITATION = _t(DCT, "bibliographicCitation")
P_FORMAT = _t(DCT, "format")
P_CF_PARAMETER = _t(EC, "cfParameter")
P_EXTRA = _t(EC, "extraFields")
P_KEY = _t(EC, "key")

# --- SKOS for themes, variables, missions ----------------------------------------------------------------------------
P_PREF_LABEL = _t(SKOS, "prefLabel")
P_DEFINITION = _t(SKOS, "definition")
P_IN_SCHEME = _t(SKOS, "inScheme")
P_TOP_CONCEPT_OF = _t(SKOS, "topConceptOf")
P_BROADER = _t(SKOS, "broader")
P_EXACT_MATCH = _t(SKOS, "exactMatch")
P_CLOSE_MATCH = _t(SKOS, "closeMatch")

# --- cross-references ------------------------------------------------------------------------------------------------
P_PROJECT = _t(EC, "project")
P_VARIABLE = _t(EC, "variable")
P_MISSION = _t(EC, "mission")
P_THEME = _t(DCAT, "theme")
P_THEME_ENTRY = _t(EC, "themeEntry")
P_THEME_SCHEME = _t(EC, "scheme")
P_UNKNOWN_THEME_SCHEME_CONCEPT = _t(EC, "otherSchemeConcept")
P_HAS_WORKFLOW = _t(EC, "hasWorkflow")
P_WORKFLOW = _t(EC, "workflow")
P_EXPERIMENT_REF = _t(EC, "experiment")
P_PRODUCT_REF = _t(EC, "product")
P_HAS_PART = _t(DCT, "hasPart")
P_IS_PART_OF = _t(DCT, "isPartOf")
P_RELATION = _t(DCT, "relation")
P_LANDING_PAGE = _t(DCAT, "landingPage")
P_SEE_ALSO = _t(RDFS, "seeAlso")
P_DEPICTION = _t(FOAF, "depiction")
P_IS_REFERENCED_BY = _t(DCT, "isReferencedBy")
P_CODE_REPOSITORY = _t(SCHEMA, "codeRepository")
P_WORKFLOW_DEFINITION = _t(EC, "workflowDefinition")
P_DISTRIBUTION_URL = _t(EC, "externalCatalog")

# --- lineage (PROV) --------------------------------------------------------------------------------------------------
P_WAS_GENERATED_BY = _t(PROV, "wasGeneratedBy")
P_USED = _t(PROV, "used")
P_QUALIFIED_ASSOCIATION = _t(PROV, "qualifiedAssociation")
P_HAD_PLAN = _t(PROV, "hadPlan")
P_STARTED = _t(PROV, "startedAtTime")
P_ENDED = _t(PROV, "endedAtTime")
P_INPUT_CONFIGURATION = _t(EC, "inputConfiguration")
P_EXECUTION_ENVIRONMENT = _t(EC, "executionEnvironment")

# --- experiment configuration and environment ------------------------------------------------------------------------
P_PARAMETER = _t(EC, "parameter")
P_NAME = _t(SCHEMA, "name")
P_VALUE = _t(SCHEMA, "value")
P_POSITION = _t(SCHEMA, "position")
P_COMMENT = _t(RDFS, "comment")
P_ENVIRONMENT_NAME = _t(EC, "environmentName")
P_CONDA_CHANNEL = _t(EC, "condaChannel")
P_DEPENDENCY = _t(EC, "dependency")
P_PIP_DEPENDENCY = _t(EC, "pipDependency")
P_EMPTY = _t(EC, "isEmpty")

# --- workflow software description -----------------------------------------------------------------------------------
P_APPLICATION_TYPE = _t(EC, "applicationType")
P_CONTAINERISED = _t(EC, "containerised")
P_PROGRAMMING_LANGUAGE = _t(SCHEMA, "programmingLanguage")
P_KERNEL_NAME = _t(EC, "jupyterKernelName")
P_PYTHON_VERSION = _t(EC, "pythonVersion")
P_KERNEL_ENV_FILE = _t(EC, "kernelEnvironmentFile")

# --- contacts --------------------------------------------------------------------------------------------------------
P_CONTACT = _t(EC, "contact")
P_CONTACT_POINT = _t(DCAT, "contactPoint")
P_FN = _t(VCARD, "fn")
P_ORGANIZATION_NAME = _t(VCARD, "organization-name")
P_HAS_EMAIL = _t(VCARD, "hasEmail")
P_HAS_URL = _t(VCARD, "hasURL")
P_ROLE = _t(EC, "role")
P_CONTACT_INSTRUCTIONS = _t(EC, "contactInstructions")

# --- links -----------------------------------------------------------------------------------------------------------
P_LINK = _t(EC, "link")
P_REL = _t(EC, "rel")
P_HREF = _t(EC, "href")
P_LINK_TYPE = _t(EC, "mediaType")
P_TARGET = _t(EC, "target")
P_TARGET_PATH = _t(EC, "targetPath")

# --- extents and items -----------------------------------------------------------------------------------------------
P_SPATIAL = _t(DCT, "spatial")
P_TEMPORAL = _t(DCT, "temporal")
P_BBOX = _t(DCAT, "bbox")
P_START_DATE = _t(DCAT, "startDate")
P_END_DATE = _t(DCAT, "endDate")
P_IS_GLOBAL = _t(EC, "isGlobalPlaceholder")
P_HAS_GEOMETRY = _t(GEO, "hasGeometry")
P_AS_WKT = _t(GEO, "asWKT")
P_DATETIME = _t(EC, "datetime")
P_ASSET = _t(EC, "asset")
P_DOWNLOAD_URL = _t(DCAT, "downloadURL")
P_ASSET_ROLE = _t(EC, "assetRole")
P_COLLECTION_ID = _t(EC, "collectionId")
