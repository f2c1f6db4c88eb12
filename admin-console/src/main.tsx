import '@mantine/core/styles.css';
import { StrictMode, lazy, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { MantineProvider, Loader } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter, Route, Routes, Navigate } from 'react-router';
import { AuthGate } from './auth';
import { I18nProvider } from './i18n';
import { Layout, homeOf } from './Layout';
import { ProductsPage } from './pages/Products';

// Products is the landing page and ships in the first chunk; the other pages load on demand.
const ItemPage = lazy(() => import('./pages/Item'));
const ListingPage = lazy(() => import('./pages/Listing'));
const NewListingPage = lazy(() => import('./pages/NewListing'));
const ListingsPage = lazy(() => import('./pages/Listings'));
const ReviewsPage = lazy(() => import('./pages/Reviews'));
const BatchesPage = lazy(() => import('./pages/Batches'));
const BatchPage = lazy(() => import('./pages/Batch'));
const CategoriesPage = lazy(() => import('./pages/Categories'));
const AuditMatrixPage = lazy(() => import('./pages/AuditMatrix'));
const HistoryPage = lazy(() => import('./pages/History'));
const OperationsPage = lazy(() => import('./pages/Operations'));
const SuppliersPage = lazy(() => import('./pages/Suppliers'));
const DeadLettersPage = lazy(() => import('./pages/DeadLetters'));

const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } } });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider>
      <I18nProvider>
        <QueryClientProvider client={queryClient}>
          <AuthGate>
            <BrowserRouter>
              <Layout>
                <Suspense fallback={<Loader />}>
                  <Routes>
                    <Route path="/" element={<HomeRedirect />} />
                    <Route path="/callback" element={<HomeRedirect />} />
                    <Route path="/products" element={<ProductsPage />} />
                    <Route path="/items/:itemId" element={<ItemPage />} />
                    <Route path="/items/:itemId/history" element={<HistoryPage />} />
                    <Route path="/listings" element={<ListingsPage />} />
                    <Route path="/listings/new" element={<NewListingPage />} />
                    <Route path="/listings/:taskId" element={<ListingPage />} />
                    <Route path="/reviews" element={<ReviewsPage />} />
                    <Route path="/batches" element={<BatchesPage />} />
                    <Route path="/batches/:batchId" element={<BatchPage />} />
                    <Route path="/config/categories" element={<CategoriesPage />} />
                    <Route path="/config/audit" element={<AuditMatrixPage />} />
                    <Route path="/ops/runs" element={<OperationsPage />} />
                    <Route path="/ops/suppliers" element={<SuppliersPage />} />
                    <Route path="/ops/dead-letters" element={<DeadLettersPage />} />
                    <Route path="*" element={<HomeRedirect />} />
                  </Routes>
                </Suspense>
              </Layout>
            </BrowserRouter>
          </AuthGate>
        </QueryClientProvider>
      </I18nProvider>
    </MantineProvider>
  </StrictMode>,
);

function HomeRedirect() {
  return <Navigate to={homeOf()} replace />;
}
