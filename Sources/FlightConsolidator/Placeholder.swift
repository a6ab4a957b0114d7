import TableAPI
